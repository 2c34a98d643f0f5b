/** Turns a component tree into an HTML document. Preact escapes every text and attribute. */
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

export function renderDocument(vnode: VNode): string {
  return '<!doctype html>' + renderToString(vnode);
}

export function renderFragment(vnode: VNode): string {
  return renderToString(vnode);
}
