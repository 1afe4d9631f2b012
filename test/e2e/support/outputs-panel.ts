/**
 * Driving the studio's outputs as a user does, by role and name: the Controls dock, and
 * Settings → Stream / Output, where destinations, the local origin and the encoder live.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './browser.ts';
import { seedSettings } from './studio-ui.ts';

/** A studio past its first run at the default 1280x720 output, before its page opens. */
export function seedPastFirstRun(dataDir: string): void {
  seedSettings(dataDir, { firstRun: { completedAtMs: Date.now() } });
}

/** The Controls dock. */
export const controls = (page: Page): Locator => page.getByRole('region', { name: 'Controls' });

/** Opens Settings on `tab` (Stream, Output, …) unless it is already there; returns the dialog. */
export async function openSettings(page: Page, tab: 'General' | 'Stream' | 'Output'): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  if ((await dialog.count()) === 0) await controls(page).getByRole('button', { name: 'Settings' }).click();
  await dialog.getByRole('tab', { name: tab }).click();
  await dialog.getByRole('tabpanel').waitFor();
  return dialog;
}

/** Closes Settings from the Stream, Output or General page (Close where the page applies at once, else Cancel). */
export async function closeSettings(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  if ((await dialog.count()) === 0) return;
  await dialog.getByRole('button', { name: /^(Close|Cancel)$/ }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** A destination's row in Settings → Stream. */
export const destinationRow = (page: Page, name: string): Locator =>
  page.getByRole('dialog', { name: 'Settings' }).getByRole('list', { name: 'Destinations' }).getByRole('listitem', { name, exact: true });

/** Removes a destination from Settings → Stream as a user does: Remove, then Remove again where the row asks. */
export async function removeDestination(page: Page, name: string): Promise<void> {
  const row = destinationRow(page, name);
  await row.getByRole('button', { name: `Remove ${name}`, exact: true }).click();
  await row
    .getByRole('group', { name: `Remove ${name}?` })
    .getByRole('button', { name: 'Remove', exact: true })
    .click();
  await expect.poll(() => row.count()).toBe(0);
}

/** Fills Settings → Stream's "Add destination" form with a custom RTMP(S) destination and submits it. */
export async function addCustomDestination(page: Page, destination: { name: string; serverUrl: string; streamKey: string }): Promise<void> {
  const form = (await openSettings(page, 'Stream')).getByRole('form', { name: 'Add destination' });
  await form.getByLabel('Service').selectOption('custom');
  await form.getByLabel('Name').fill(destination.name);
  await form.getByLabel('Server URL').fill(destination.serverUrl);
  await form.getByLabel('Stream key').fill(destination.streamKey);
  await form.getByRole('button', { name: 'Add destination' }).click();
  await destinationRow(page, destination.name).waitFor();
}

/**
 * Opens the viewer link in a browser of its own (a second window in the studio's browser would
 * hide the studio's page, which then gets no animation frames) and waits until its video
 * plays: `currentTime` advances past one second and then further.
 */
export async function expectViewerPlays(viewerUrl: string): Promise<void> {
  const viewerBrowser = await launchChromium();
  try {
    const viewer = await viewerBrowser.newPage();
    await viewer.goto(viewerUrl);
    const video = viewer.locator('video').first();
    const currentTime = () => video.evaluate((element: HTMLVideoElement) => element.currentTime).catch(() => 0);
    await expect.poll(currentTime, { timeout: 60_000 }).toBeGreaterThan(1);
    const first = await currentTime();
    await expect.poll(currentTime, { timeout: 30_000 }).toBeGreaterThan(first);
  } finally {
    await viewerBrowser.close();
  }
}
