/**
 * What a host call throws when it refuses what the user entered (a folder that cannot be
 * used, a server URL with a login in it, a format there is not). Its message is for the
 * user, shown as it is beside the field. The host logs it as one warning line without a
 * stack; anything else a call throws is a fault, logged as an error with its stack.
 */
export class UserInputError extends Error {
  override readonly name: string = 'UserInputError';
}
