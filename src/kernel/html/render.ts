/**
 * Turns a component tree into HTML. Every text and attribute value is escaped.
 *
 * Our own serializer of Preact's element trees, for the server only: the views are plain function
 * components (no hooks, no context, no class components, no suspense), so rendering is calling
 * them and writing tags. preact-render-to-string, which this replaces on the request path, sets up
 * a component instance, hook slots and option callbacks for every component and tests each
 * attribute name against several expressions on every render: ~70% of a form step's render time
 * (ADR 0019). The output is the same string it gives, byte for byte, for everything Medborg
 * renders: with MEDBORG_RENDER_CROSSCHECK=1 (the test runner sets it) every render is compared
 * with preact-render-to-string's and a difference throws, so the whole suite checks it.
 */
import type { ComponentChildren, VNode } from 'preact';
import { Fragment } from 'preact';
import { renderToString } from 'preact-render-to-string';

const crossCheck = process.env.MEDBORG_RENDER_CROSSCHECK === '1';

export function renderDocument(vnode: VNode): string {
  return '<!doctype html>' + renderFragment(vnode);
}

export function renderFragment(vnode: ComponentChildren): string {
  const html = render(vnode, false, undefined);
  if (crossCheck) {
    const reference = renderToString(vnode as VNode);
    if (reference !== html) throw new Error(`renderFragment differs from preact-render-to-string at ${firstDifference(html, reference)}`);
  }
  return html;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `${i}: ours …${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))}… reference …${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}…`;
}

// --- escaping (as preact-render-to-string: ", & and < in text and attribute values) ------------

const NEEDS_ESCAPE = /["&<]/;

export function escapeHtml(s: string): string {
  if (s.length === 0 || !NEEDS_ESCAPE.test(s)) return s;
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const entity = c === 34 ? '&quot;' : c === 38 ? '&amp;' : c === 60 ? '&lt;' : undefined;
    if (entity === undefined) continue;
    if (i !== last) out += s.slice(last, i);
    out += entity;
    last = i + 1;
  }
  return last < s.length ? out + s.slice(last) : out;
}

// --- attribute names ----------------------------------------------------------------------------

const SELF_CLOSING = new Set(['area', 'base', 'br', 'col', 'command', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const UNSAFE_NAME = /[\s\n\\/='"\0<>]/;
const NAMESPACE_REPLACE = /^(xlink|xmlns|xml)([A-Z])/;
const HTML_LOWER_CASE = /^(?:accessK|auto[A-Z]|cell|ch|col|cont|cross|dateT|encT|form[A-Z]|frame|hrefL|inputM|maxL|minL|noV|playsI|popoverT|readO|rowS|src[A-Z]|tabI|useM|item[A-Z])/;
const SVG_CAMEL_CASE =
  /^ac|^ali|arabic|basel|cap|clipPath$|clipRule$|color|dominant|enable|fill|flood|font|glyph[^R]|horiz|image|letter|lighting|marker[^WUH]|overline|panose|pointe|paint|rendering|shape|stop|strikethrough|stroke|text[^L]|transform|underline|unicode|units|^v[^i]|^w|^xH/;
const HTML_ENUMERATED = new Set(['draggable', 'spellcheck']);

/** How a plain attribute name is written: its HTML name, and whether a non-null value is written as a string (aria-*, data-*). */
interface AttributeName {
  name: string | null;
  asString: boolean;
}

// Attribute names are few and repeat on every page: each is worked out once per mode.
const htmlNames = new Map<string, AttributeName>();
const svgNames = new Map<string, AttributeName>();

function attributeName(raw: string, svg: boolean): AttributeName {
  const cache = svg ? svgNames : htmlNames;
  let known = cache.get(raw);
  if (known) return known;
  let name: string | null = raw;
  let asString = false;
  if (UNSAFE_NAME.test(raw)) name = null;
  else if (NAMESPACE_REPLACE.test(raw)) name = raw.replace(NAMESPACE_REPLACE, '$1:$2').toLowerCase();
  else if (raw[4] === '-' || HTML_ENUMERATED.has(raw)) asString = true;
  else if (svg) {
    if (SVG_CAMEL_CASE.test(raw)) name = raw === 'panose1' ? 'panose-1' : raw.replace(/([A-Z])/g, '-$1').toLowerCase();
  } else if (HTML_LOWER_CASE.test(raw)) name = raw.toLowerCase();
  known = { name, asString };
  cache.set(raw, known);
  return known;
}

const JS_TO_CSS = new Map<string, string>();
const IS_NON_DIMENSIONAL = new Set([
  'animation-iteration-count', 'border-image-outset', 'border-image-slice', 'border-image-width', 'box-flex', 'box-flex-group', 'box-ordinal-group',
  'column-count', 'fill-opacity', 'flex', 'flex-grow', 'flex-negative', 'flex-order', 'flex-positive', 'flex-shrink', 'flood-opacity', 'font-weight',
  'grid-column', 'grid-row', 'line-clamp', 'line-height', 'opacity', 'order', 'orphans', 'stop-opacity', 'stroke-dasharray', 'stroke-dashoffset',
  'stroke-miterlimit', 'stroke-opacity', 'stroke-width', 'tab-size', 'widows', 'z-index', 'zoom',
]);

function styleToCss(style: Record<string, unknown>): string | undefined {
  let css = '';
  for (const prop in style) {
    const value = style[prop];
    if (value == null || value === '') continue;
    let name = prop[0] === '-' ? prop : JS_TO_CSS.get(prop);
    if (name === undefined) JS_TO_CSS.set(prop, (name = prop.replace(/[A-Z]/g, '-$&').toLowerCase()));
    const unit = typeof value === 'number' && !name.startsWith('--') && !IS_NON_DIMENSIONAL.has(name) ? 'px;' : ';';
    css = css + name + ':' + value + unit;
  }
  return css || undefined; // no declarations: no attribute, as preact-render-to-string
}

// --- the tree -------------------------------------------------------------------------------------

type Props = Record<string, unknown> & { children?: ComponentChildren };

function render(node: unknown, svg: boolean, selectValue: unknown): string {
  if (node == null || node === true || node === false || node === '') return '';
  const kind = typeof node;
  if (kind !== 'object') {
    if (kind === 'string') return escapeHtml(node as string);
    return kind === 'function' ? '' : String(node);
  }
  if (Array.isArray(node)) {
    let out = '';
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i];
      if (child == null || typeof child === 'boolean') continue;
      out += render(child, svg, selectValue);
    }
    return out;
  }
  const vnode = node as VNode<Props>;
  // Preact's own test for an element: anything else (a plain object, say) renders nothing.
  if (vnode.constructor !== undefined) return '';
  const { type, props } = vnode;
  if (typeof type === 'function') {
    if (type === Fragment) return render(props.children, svg, selectValue);
    if (type.prototype && typeof (type.prototype as { render?: unknown }).render === 'function') {
      throw new Error('renderFragment: class components are not supported on the server');
    }
    return render((type as (p: Props) => unknown)(props), svg, selectValue);
  }
  return element(type as string, props, svg, selectValue);
}

function element(type: string, props: Props, svg: boolean, selectValue: unknown): string {
  let s = '<' + type;
  let html: string | undefined;
  let children: unknown;
  for (const raw in props) {
    let value = props[raw];
    let name: string | null = raw;
    if (typeof value === 'function' && raw !== 'class' && raw !== 'className') continue;
    switch (raw) {
      case 'children':
        children = value;
        continue;
      case 'key':
      case 'ref':
      case '__self':
      case '__source':
        continue;
      case 'htmlFor':
        if ('for' in props) continue;
        name = 'for';
        break;
      case 'className':
        if ('class' in props) continue;
        name = 'class';
        break;
      case 'defaultChecked':
        name = 'checked';
        break;
      case 'defaultSelected':
        name = 'selected';
        break;
      case 'defaultValue':
      case 'value':
        name = 'value';
        if (type === 'textarea') {
          children = value;
          continue;
        }
        if (type === 'select') {
          selectValue = value;
          continue;
        }
        if (type === 'option' && selectValue == value && !('selected' in props)) s += ' selected';
        break;
      case 'dangerouslySetInnerHTML':
        html = (value as { __html?: string } | null | undefined)?.__html;
        continue;
      case 'style':
        if (typeof value === 'object' && value !== null) value = styleToCss(value as Record<string, unknown>);
        break;
      case 'acceptCharset':
        name = 'accept-charset';
        break;
      case 'httpEquiv':
        name = 'http-equiv';
        break;
      default: {
        const known = attributeName(raw, svg);
        name = known.name;
        if (name === null) continue;
        if (known.asString && value != null) value = String(value);
      }
    }
    if (value == null || value === false) continue;
    s += value === true || value === '' ? ' ' + name : ' ' + name + '="' + escapeHtml(String(value)) + '"';
  }
  if (UNSAFE_NAME.test(type)) throw new Error(`${type} is not a valid HTML tag name in ${s}>`);
  if (!html) {
    if (typeof children === 'string') html = escapeHtml(children);
    else if (children != null && children !== false && children !== true) html = render(children, type === 'svg' || (type !== 'foreignObject' && svg), selectValue);
  }
  if (!html && SELF_CLOSING.has(type)) return s + '/>';
  return s + '>' + (html ?? '') + '</' + type + '>';
}
