import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { escapeHtml, renderDocument, renderFragment } from './render.ts';

function Item({ label, n }: { label: string; n: number }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{n}</dd>
    </>
  );
}

// Every shape the views use, and some they might: each must render as preact-render-to-string does.
const cases: [string, VNode][] = [
  ['escaping in text and attributes', <p title={`"a" & <b> 'c'`}>{`<script>alert("x")</script> & ö – ”`}</p>],
  ['booleans, empty strings, null and numbers', <input type="checkbox" checked disabled={false} value="" maxLength={10} aria-hidden={true} data-x={0} required={undefined} />],
  ['camelCase names', <form encType="multipart/form-data" noValidate autoComplete="off" acceptCharset="utf-8"><label htmlFor="a" className="c">x</label><button tabIndex={-1}>y</button></form>],
  ['select value marks its option', <select name="s" value="b"><option value="a">A</option><option value="b">B</option><option value="c" selected>C</option></select>],
  ['textarea value is its text', <textarea name="t" value={'line 1\n<line 2>'} />],
  ['components, fragments, arrays, keys', <dl>{[<Item key="1" label="One" n={1} />, null, false, <Item key="2" label="Two" n={2} />, [<dt key="x">nested</dt>]]}</dl>],
  ['inner html is not escaped', <div dangerouslySetInnerHTML={{ __html: '<b>raw</b>' }} />],
  ['void and empty elements', <div><br /><img src="/a.png" alt="" /><span></span><p>{''}</p></div>],
  ['style objects', <div style={{ marginTop: 4, lineHeight: 1.5, '--x': 2 } as unknown as string} />],
  ['an empty style object leaves no attribute', <div style={{}} />],
  ['functions as props and children are dropped', <div onClick={() => 1}>{(() => 1) as unknown as string}</div>],
  ['svg attribute names', <svg viewBox="0 0 1 1" xlinkHref="#a"><path strokeWidth={2} fillRule="evenodd" /></svg>],
  ['unsafe attribute names are dropped', <div {...({ 'a b': 'x', 'on"x': 'y', ok: 'z' } as Record<string, string>)} />],
];

for (const [name, vnode] of cases) {
  test(`renderFragment: ${name}`, () => {
    assert.equal(renderFragment(vnode), renderToString(vnode));
  });
}

test('renderFragment writes what a reader expects, not only what the reference does', () => {
  assert.equal(renderFragment(<a href={'/x?a=1&b="2"'}>{'1 < 2 & 3 > 2'}</a>), '<a href="/x?a=1&amp;b=&quot;2&quot;">1 &lt; 2 &amp; 3 > 2</a>');
  assert.equal(renderFragment(<input checked value="" aria-invalid={true} />), '<input checked value aria-invalid="true"/>');
  assert.equal(renderDocument(<html lang="sv" />), '<!doctype html><html lang="sv"></html>');
  assert.equal(escapeHtml('plain'), 'plain');
});

test('an unsafe tag name throws instead of writing markup', () => {
  const Tag = 'div onload=x' as 'div';
  assert.throws(() => renderFragment(<Tag />), /not a valid HTML tag name/);
});
