/**
 * PDF letters with PDFKit: an embedded DejaVu Sans (covers å, ä, ö and more), the document language
 * set, a title in the metadata, and tagged structure so assistive technology can read it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(fontDir, 'DejaVuSans.ttf');
const BOLD = path.join(fontDir, 'DejaVuSans-Bold.ttf');

export interface LetterSection {
  heading?: string;
  /** Paragraphs; newlines inside one become line breaks. */
  paragraphs?: string[];
  /** Label–value rows. */
  rows?: [string, string][];
}

export interface Letter {
  lang: 'sv' | 'en';
  title: string;
  /** Sender: the municipality and department. */
  sender: string[];
  /** Recipient block (name, address lines). */
  recipient?: string[];
  reference: string;
  date: string;
  sections: LetterSection[];
  footer: string;
}

/**
 * An accessible A4 document — language, title and author in the metadata, tagged, the DejaVu fonts
 * registered as `body` and `bold` — and the buffer it becomes when ended. The creation date is fixed
 * from `createdAt`, so the same content renders the same file. For letters and for lists (a day's
 * bookings).
 */
export function accessiblePdf(
  meta: { title: string; author: string | undefined; lang: 'sv' | 'en'; subject?: string; layout?: 'portrait' | 'landscape'; margins: { top: number; bottom: number; left: number; right: number } },
  createdAt: Date,
): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    ...(meta.layout ? { layout: meta.layout } : {}),
    margins: meta.margins,
    lang: meta.lang === 'sv' ? 'sv-SE' : 'en-GB',
    tagged: true,
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: meta.title, Author: meta.author ?? 'Medborg', ...(meta.subject !== undefined ? { Subject: meta.subject } : {}), Creator: 'Medborg', CreationDate: createdAt, ModDate: createdAt },
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', REGULAR);
  doc.registerFont('bold', BOLD);
  return { doc, done };
}

/** Renders a letter to a PDF buffer. Creation date is fixed from the letter's date so output is reproducible. */
export function renderLetter(letter: Letter, createdAt: Date): Promise<Buffer> {
  const { doc, done } = accessiblePdf(
    { title: letter.title, author: letter.sender[0], lang: letter.lang, subject: letter.reference, margins: { top: 56, bottom: 56, left: 62, right: 62 } },
    createdAt,
  );

  doc.font('bold').fontSize(11).text(letter.sender.join('\n'));
  doc.moveDown(0.5);
  doc.font('body').fontSize(10).text(`${letter.date}    ${letter.reference}`, { align: 'right' });
  if (letter.recipient?.length) {
    doc.moveDown(1);
    doc.font('body').fontSize(11).text(letter.recipient.join('\n'));
  }
  doc.moveDown(1.5);
  doc.font('bold').fontSize(18).text(letter.title);
  doc.moveDown(0.5);
  for (const s of letter.sections) {
    if (s.heading) {
      doc.moveDown(0.6);
      doc.font('bold').fontSize(13).text(s.heading);
      doc.moveDown(0.2);
    }
    for (const p of s.paragraphs ?? []) {
      doc.font('body').fontSize(11).text(p, { lineGap: 2 });
      doc.moveDown(0.4);
    }
    for (const [label, value] of s.rows ?? []) {
      doc.font('bold').fontSize(10).text(label);
      doc.font('body').fontSize(11).text(value || '–', { lineGap: 1 });
      doc.moveDown(0.3);
    }
  }
  doc.moveDown(1.5);
  doc.font('body').fontSize(9).fillColor('#333333').text(letter.footer);
  doc.end();
  return done;
}
