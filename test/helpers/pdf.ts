/** Reads a PDF the way a reader would: its text (pdf.js), language and title. */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfFacts {
  text: string;
  lang: string | undefined;
  title: string | undefined;
  pages: number;
  fonts: string[];
}

export async function readPdf(data: Buffer): Promise<PdfFacts> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, disableFontFace: true, isEvalSupported: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    text += content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : ' ') : '')).join('') + '\n';
  }
  const meta = await doc.getMetadata();
  const info = meta.info as { Title?: string; Language?: string };
  const raw = data.toString('latin1');
  const fonts = [...new Set([...raw.matchAll(/\/BaseFont \/([A-Z]{6}\+[^\s/]+)/g)].map((m) => m[1]!))];
  const lang = /\/Lang \(([^)]*)\)/.exec(raw)?.[1];
  await doc.destroy();
  return { text, lang: lang ?? info.Language, title: info.Title, pages: doc.numPages, fonts };
}
