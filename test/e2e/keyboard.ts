/**
 * What a keyboard user does in the journeys that use no mouse (serving licence, noise report,
 * transport exemption): Tab to a field or button in page order, type, choose a radio with the arrow
 * keys, tick a check box with Space, press Enter. Each step asserts its effect, so a control the
 * keyboard cannot reach or operate fails the journey there.
 */
import assert from 'node:assert/strict';
import { exact, type Journey } from './harness.ts';

/** Tab to the button or link named `name` and press Enter: a new page. */
export async function press(j: Journey, name: string, label: string): Promise<void> {
  await j.tabTo(exact(name), { max: 80 });
  await j.pressEnter({ label });
}

/** Presses Tab until the focused element matches `selector` (what a keyboard user reaches in page order). */
export async function tabToField(j: Journey, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await j.page.keyboard.press('Tab');
    if (await j.page.evaluate((sel) => Boolean(document.activeElement?.matches(sel)), selector)) return;
  }
  assert.fail(`Tab did not reach ${selector} on ${j.page.url()}`);
}

/** Tab to a text field, replace what it holds by typing. */
export async function type(j: Journey, name: string, text: string): Promise<void> {
  await tabToField(j, `[name="${name}"]`);
  await j.page.keyboard.press('ControlOrMeta+A');
  await j.typeInFocused(text);
}

/** Tab into a radio group, the arrow keys move to the option (choosing it), Space makes sure. */
export async function choose(j: Journey, name: string, value: string): Promise<void> {
  await tabToField(j, `[name="${name}"]`);
  for (let i = 0; i < 10 && !(await j.page.evaluate((v) => (document.activeElement as HTMLInputElement).value === v, value)); i++) await j.page.keyboard.press('ArrowDown');
  await j.page.keyboard.press('Space');
  assert.equal(await j.page.locator(`[name="${name}"][value="${value}"]`).isChecked(), true, `${name}=${value} chosen`);
}

/** Tab into the radio group named `name`, then the arrow keys to the option labelled `label` (choosing it). */
export async function chooseByLabel(j: Journey, name: string, label: string): Promise<void> {
  await tabToField(j, `input[type="radio"][name="${name}"]`);
  for (let i = 0; i < 20 && (await j.focused()).name.trim() !== label; i++) await j.page.keyboard.press('ArrowDown');
  await j.page.keyboard.press('Space');
  assert.equal(await j.page.getByLabel(label, { exact: true }).isChecked(), true, `${label} chosen`);
}

/** Tab to a select and choose the option with `value` (a keyboard user types its label's first letters; Playwright picks it). */
export async function select(j: Journey, name: string, value: string): Promise<void> {
  await tabToField(j, `select[name="${name}"]`);
  await j.page.locator(`select[name="${name}"]`).selectOption(value);
  assert.equal(await j.page.locator(`select[name="${name}"]`).inputValue(), value);
}

/** Tab to a check box (a selector, or a name and value) and tick it with Space. */
export async function tick(j: Journey, nameOrSelector: string, value?: string): Promise<void> {
  const selector = value === undefined ? nameOrSelector : `[name="${nameOrSelector}"][value="${value}"]`;
  await tabToField(j, selector);
  await j.page.keyboard.press('Space');
  assert.equal(await j.page.locator(selector).isChecked(), true, `${selector} ticked`);
}

/** Screenshots of the page at desktop (1280 px) and phone (375 px) width, back to desktop after. */
export async function bothWidths(j: Journey, name: string): Promise<void> {
  await j.screenshot(`${name}-1280`);
  await j.page.setViewportSize({ width: 375, height: 800 });
  await j.screenshot(`${name}-375`);
  await j.page.setViewportSize({ width: 1280, height: 900 });
}
