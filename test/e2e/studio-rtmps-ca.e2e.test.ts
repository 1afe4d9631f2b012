/**
 * A venue's own RTMPS server with a self-signed certificate, from the studio's page: the project's
 * origin serving rtmps:// with a certificate made by `openssl req -x509` for this run. Without its
 * certificate authority the destination fails with the untrusted-certificate reason (and the toast
 * that says where to add it, placed over the preview, covering no dock's controls); with the CA read
 * from a .pem file in Settings → Stream it goes live and ffprobe reads the stream back; Clear removes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe, summary } from './support/media.ts';
import { startOriginProcess, type OriginProcess } from './support/origin.ts';
import { closeSettings, controls, destinationRow, openSettings } from './support/outputs-panel.ts';
import { expectCoversNoControl, saveScreenshot, storedDestinations, useStudioPage } from './support/studio-ui.ts';

const KEY = 'venue-rtmps-key-0123456789';
const certDir = mkdtempSync(join(tmpdir(), 'tally-venue-ca-'));
const certPath = join(certDir, 'venue.crt');

describe('a custom rtmps:// destination with a self-signed certificate', () => {
  const opened = useStudioPage();
  const page = () => opened.page();
  let origin: OriginProcess;
  let rtmps: string;

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
        ...['-subj', '/CN=Venue self-signed', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
        ...['-keyout', join(certDir, 'venue.key'), '-out', certPath],
      ],
      { stdio: 'pipe' },
    );
    origin = await startOriginProcess(KEY, ['--rtmps-port', '0', '--tls-cert', certPath, '--tls-key', join(certDir, 'venue.key')]);
    rtmps = origin.process.stdoutLines.find((line) => line.startsWith('RTMPS: '))!.slice('RTMPS: '.length);
    expect(rtmps).toMatch(/^rtmps:\/\/127\.0\.0\.1:\d+\/live$/);
  });
  afterAll(async () => {
    await origin?.stop();
    rmSync(certDir, { recursive: true, force: true });
  });

  const stream = () => page().getByRole('dialog', { name: 'Settings' });
  const rowText = async () => (await destinationRow(page(), 'Venue').innerText()).replace(/\s+/g, ' ');

  it('the CA field is offered for a custom rtmps:// server only, with a hint', async () => {
    const add = (await openSettings(page(), 'Stream')).getByRole('form', { name: 'Add destination' });
    await add.getByLabel('Service').selectOption('custom');
    await add.getByLabel('Server URL').fill(origin.rtmp);
    expect(await add.getByRole('textbox', { name: 'Certificate authority (PEM)' }).count()).toBe(0);
    await add.getByLabel('Server URL').fill(rtmps);
    const ca = add.getByRole('textbox', { name: 'Certificate authority (PEM)' });
    await ca.waitFor();
    expect(await ca.getAttribute('aria-describedby')).toBeTruthy();
    await add.getByText(/does not trust/).waitFor();
    await add.getByLabel('Name').fill('Venue');
    await add.getByLabel('Stream key').fill(KEY);
    await add.getByRole('button', { name: 'Add destination' }).click();
    await destinationRow(page(), 'Venue').waitFor();
    expect(await rowText()).toContain(`Custom RTMP(S) · ${rtmps} · key ••••`);
    await closeSettings(page());
  });

  it('without the CA it fails with the untrusted-certificate reason; the toast says where to add it and covers no control', async () => {
    await controls(page()).getByRole('button', { name: 'Go Live', exact: true }).click();
    const alert = page()
      .getByRole('region', { name: 'Notifications' })
      .getByRole('alert')
      .filter({ hasText: /^Venue: the server's certificate is not trusted \(self-signed\)/ });
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toMatch(
      /add the venue's certificate authority to this destination \(\w+\)\. Edit it in Settings → Stream\./,
    );
    await expectCoversNoControl(alert, page().getByRole('main').locator('.dock').getByRole('button'));
    await expectCoversNoControl(alert, page().getByRole('main').locator('.dock').getByRole('link'));
    await saveScreenshot(page(), 'rtmps-untrusted-toast-1280x720');
    await openSettings(page(), 'Stream');
    await expect.poll(rowText, { timeout: 30_000 }).toMatch(/failed \(.*(certificate|CERT_).*\)/i);
    await closeSettings(page());
    // Its only destination failed: the stream ends by itself (or End Stream ends it).
    await controls(page())
      .getByRole('button', { name: 'End Stream', exact: true })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await controls(page()).getByRole('button', { name: 'Go Live', exact: true }).waitFor({ timeout: 30_000 });
  });

  it('with the CA read from its .crt file it goes live, and a viewer of the origin gets the stream', async () => {
    await openSettings(page(), 'Stream');
    await destinationRow(page(), 'Venue').getByRole('button', { name: 'Edit Venue' }).click();
    const edit = stream().getByRole('form', { name: 'Edit Venue' });
    await edit.getByLabel('Or read it from a file').setInputFiles(certPath);
    await expect
      .poll(() => edit.getByRole('textbox', { name: 'Certificate authority (PEM)' }).inputValue())
      .toBe(readFileSync(certPath, 'utf8'));
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(storedDestinations(opened.studio.dataDir).find((row) => row.name === 'Venue')).toMatchObject({
      ca_pem: readFileSync(certPath, 'utf8').trim(),
    });
    await closeSettings(page());
    await controls(page()).getByRole('button', { name: 'Go Live', exact: true }).click();
    await openSettings(page(), 'Stream');
    await expect.poll(rowText, { timeout: 60_000 }).toMatch(/^Venue .* live · \d+ kbps/);
    const probe = await ffprobe(`${origin.http}live/main.flv`, {
      timeoutMs: 60_000,
      analyzeDurationUs: 1_000_000,
      extraArgs: ['-ca_file', certPath, '-tls_verify', '1'],
    });
    expect(summary(probe).video).toMatch(/^h264 \d+x\d+$/);
    await saveScreenshot(page(), 'settings-stream-rtmps-live-1280x720');
    await closeSettings(page());
    await controls(page()).getByRole('button', { name: 'End Stream', exact: true }).click();
    await controls(page()).getByRole('button', { name: 'Go Live', exact: true }).waitFor({ timeout: 30_000 });
  });

  it('editing shows "custom CA set", and Clear removes it', async () => {
    await openSettings(page(), 'Stream');
    await destinationRow(page(), 'Venue').getByRole('button', { name: 'Edit Venue' }).click();
    const edit = stream().getByRole('form', { name: 'Edit Venue' });
    expect(await edit.getByRole('status', { name: 'Certificate authority' }).innerText()).toBe('custom CA set');
    await saveScreenshot(page(), 'settings-stream-custom-ca-1280x720');
    await edit.getByRole('button', { name: 'Clear', exact: true }).click();
    expect(await edit.getByRole('status', { name: 'Certificate authority' }).count()).toBe(0);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(storedDestinations(opened.studio.dataDir).find((row) => row.name === 'Venue')).toMatchObject({ ca_pem: null });
    await closeSettings(page());
  });
});
