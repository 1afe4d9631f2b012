/** Driving the studio's outputs panel as a user does, scoped to it (the library dock has its own "Name" field). */
import type { Page } from 'playwright-core';

/** Fills the "Add destination" form with a custom RTMP(S) destination and submits it. */
export async function addCustomDestination(page: Page, destination: { name: string; serverUrl: string; streamKey: string }): Promise<void> {
  const form = page.getByRole('form', { name: 'Add destination' });
  await form.getByLabel('Service').selectOption('custom');
  await form.getByLabel('Name').fill(destination.name);
  await form.getByLabel('Server URL').fill(destination.serverUrl);
  await form.getByLabel('Stream key').fill(destination.streamKey);
  await form.getByRole('button', { name: 'Add destination' }).click();
}
