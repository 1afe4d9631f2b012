/**
 * Code-signing credentials, from the environment only (never from a file in the repository),
 * as electron-builder reads them: `CSC_LINK`/`CSC_KEY_PASSWORD` (or `WIN_CSC_LINK`/
 * `WIN_CSC_KEY_PASSWORD` for Windows), Apple notarization through `APPLE_API_KEY` +
 * `APPLE_API_KEY_ID` + `APPLE_API_ISSUER` (or `APPLE_ID` + `APPLE_APP_SPECIFIC_PASSWORD` +
 * `APPLE_TEAM_ID`, or `APPLE_KEYCHAIN` + `APPLE_KEYCHAIN_PROFILE`), and Tally's
 * `TALLY_WIN_PUBLISHER_NAME`, which must equal the certificate's subject CN: electron-updater
 * compares it with the installer's Authenticode signer and refuses every update on a mismatch.
 * A build without credentials is unsigned on purpose and says so loudly; it never skips
 * signing silently.
 */

export type BuildPlatform = 'linux' | 'mac' | 'win';

export interface SigningPlan {
  /** electron-builder configuration to merge. */
  config: { mac?: Record<string, unknown>; win?: Record<string, unknown> };
  /** One line per unsigned or partly signed platform. */
  warnings: string[];
}

const has = (env: NodeJS.ProcessEnv, ...names: string[]) => names.every((name) => (env[name] ?? '').length > 0);

/** What signing the environment allows for these platforms. */
export function signingFromEnv(env: NodeJS.ProcessEnv, platforms: readonly BuildPlatform[]): SigningPlan {
  const plan: SigningPlan = { config: {}, warnings: [] };
  if (platforms.includes('mac')) {
    const certificate = has(env, 'CSC_LINK') || has(env, 'CSC_NAME');
    const notarization =
      has(env, 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER') ||
      has(env, 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID') ||
      has(env, 'APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE');
    if (!certificate) {
      // identity null: unsigned on purpose (electron-builder would otherwise pick any keychain identity or sign ad hoc).
      plan.config.mac = { identity: null, notarize: false };
      plan.warnings.push(
        'macOS: UNSIGNED (no CSC_LINK). Gatekeeper blocks the app, and without a signature the camera and microphone entitlements do not apply.',
      );
    } else if (!notarization) {
      plan.config.mac = { notarize: false };
      plan.warnings.push(
        'macOS: signed but NOT NOTARIZED (no APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER): Gatekeeper warns on first launch.',
      );
    } else {
      plan.config.mac = { notarize: true };
    }
  }
  if (platforms.includes('win')) {
    const certificate = has(env, 'CSC_LINK') || has(env, 'WIN_CSC_LINK');
    const publisherName = env.TALLY_WIN_PUBLISHER_NAME?.trim();
    if (!certificate) {
      plan.warnings.push(
        'Windows: UNSIGNED (no CSC_LINK or WIN_CSC_LINK). SmartScreen warns on install, and updates rely on the feed signature alone.',
      );
      if (publisherName) plan.warnings.push('Windows: TALLY_WIN_PUBLISHER_NAME is set but there is no certificate; it is ignored.');
    } else if (publisherName) {
      plan.config.win = { signtoolOptions: { publisherName } };
    } else {
      plan.warnings.push(
        "Windows: TALLY_WIN_PUBLISHER_NAME is not set; electron-builder takes the certificate's CN. It must match the certificate of every later release, or electron-updater refuses updates.",
      );
    }
  }
  if (platforms.includes('linux'))
    plan.warnings.push('Linux: AppImage and deb carry no code signature; the signed update feed is what testers trust.');
  return plan;
}

/** The warnings as a banner nobody scrolls past. */
export function loudBanner(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  const bar = '!'.repeat(100);
  return [bar, '!! SIGNING: this build is not fully signed', ...lines.map((line) => `!! ${line}`), bar, ''].join('\n');
}
