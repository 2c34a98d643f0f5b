import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLetter } from './pdf.ts';
import { readPdf } from '../../test/helpers/pdf.ts';

test('a letter embeds its font, sets its language and carries reference and names with å, ä, ö', async () => {
  const pdf = await renderLetter(
    {
      lang: 'sv',
      title: 'Beslut om förskoleplats',
      sender: ['Söderå kommun', 'Barn- och utbildningsförvaltningen'],
      recipient: ['Åsa Öberg', 'Ängsvägen 1'],
      reference: 'FSK-2026-000123',
      date: '23 november 2026',
      sections: [{ heading: 'Beslut', paragraphs: ['Lilla Märta erbjuds plats på Förskolan Solrosen.'] }],
      footer: 'Medborg',
    },
    new Date('2026-11-23T10:00:00Z'),
  );
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const facts = await readPdf(pdf);
  assert.equal(facts.lang, 'sv-SE');
  assert.equal(facts.title, 'Beslut om förskoleplats');
  for (const s of ['FSK-2026-000123', 'Åsa Öberg', 'Lilla Märta', 'Söderå kommun', 'Förskolan Solrosen']) assert.ok(facts.text.includes(s), `missing ${s} in ${facts.text}`);
  assert.ok(facts.fonts.some((f) => f.includes('DejaVuSans')), `embedded fonts: ${facts.fonts}`);
});
