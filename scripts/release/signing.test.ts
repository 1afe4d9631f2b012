import { describe, expect, it } from 'vitest';
import { loudBanner, signingFromEnv } from './signing.ts';

describe('code-signing credentials come from the environment only', () => {
  it('without credentials, macOS and Windows builds are unsigned on purpose and every gap is named', () => {
    const plan = signingFromEnv({}, ['mac', 'win', 'linux']);
    expect(plan.config.mac).toEqual({ identity: null, notarize: false });
    expect(plan.warnings.join('\n')).toMatch(/macOS: UNSIGNED \(no CSC_LINK\).*camera and microphone/);
    expect(plan.warnings.join('\n')).toMatch(/Windows: UNSIGNED \(no CSC_LINK or WIN_CSC_LINK\)/);
    expect(loudBanner(plan.warnings)).toMatch(/^!{100}\n!! SIGNING: this build is not fully signed\n!! macOS: UNSIGNED/);
  });

  it('a macOS certificate without Apple notarization credentials signs but says it is not notarized', () => {
    const plan = signingFromEnv({ CSC_LINK: 'base64-p12', CSC_KEY_PASSWORD: 'x', APPLE_API_KEY: 'k.p8' }, ['mac']);
    expect(plan.config.mac).toEqual({ notarize: false });
    expect(plan.warnings).toEqual([expect.stringMatching(/signed but NOT NOTARIZED/)]);
    const full = signingFromEnv({ CSC_LINK: 'p12', APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'id', APPLE_API_ISSUER: 'issuer' }, ['mac']);
    expect(full).toEqual({ config: { mac: { notarize: true } }, warnings: [] });
  });

  it('a Windows certificate uses TALLY_WIN_PUBLISHER_NAME as the publisher electron-updater checks, or warns that the CN will be used', () => {
    const named = signingFromEnv({ WIN_CSC_LINK: 'p12', TALLY_WIN_PUBLISHER_NAME: 'Tally Studio Ltd' }, ['win']);
    expect(named).toEqual({ config: { win: { signtoolOptions: { publisherName: 'Tally Studio Ltd' } } }, warnings: [] });
    expect(signingFromEnv({ CSC_LINK: 'p12' }, ['win']).warnings).toEqual([expect.stringMatching(/TALLY_WIN_PUBLISHER_NAME is not set/)]);
    expect(signingFromEnv({ TALLY_WIN_PUBLISHER_NAME: 'X' }, ['win']).warnings).toContainEqual(
      expect.stringMatching(/no certificate; it is ignored/),
    );
  });

  it('a fully signed build prints no banner', () => {
    expect(loudBanner([])).toBe('');
  });
});
