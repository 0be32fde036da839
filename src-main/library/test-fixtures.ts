/**
 * Files the library tests add, made in the test itself: a PDF (pdfkit), a DOCX (docx), a PNG of
 * rendered text (@napi-rs/canvas), a zip bomb and hostile PDFs. Test-only (dev dependencies).
 */
import fs from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { buildZip } from '../detection/test-data/zip-builder';

/** A system font for rendered text, or null (the image tests then skip with a message). */
export function findFont(): string | null {
  const candidates = [
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    '/Library/Fonts/Arial.ttf',
    'C:\\Windows\\Fonts\\arial.ttf',
  ];
  return candidates.find((f) => fs.existsSync(f)) ?? null;
}

/** Black text on white, one line per entry, large enough for OCR. */
export async function textPng(lines: readonly string[], font: string): Promise<Buffer> {
  const { createCanvas, GlobalFonts } = await import('@napi-rs/canvas');
  GlobalFonts.registerFromPath(font, 'FixtureSans');
  const canvas = createCanvas(1400, 120 + lines.length * 70);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = '40px FixtureSans';
  lines.forEach((l, i) => ctx.fillText(l, 50, 90 + i * 70));
  return canvas.toBuffer('image/png');
}

/** A PDF whose pages hold these paragraphs (text layer), plus optional image-only pages (scans). */
export async function makePdf(pages: ReadonlyArray<string[] | { image: Buffer }>): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ autoFirstPage: false });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const p of pages) {
    doc.addPage();
    if (Array.isArray(p)) {
      for (const para of p) doc.fontSize(12).text(para).moveDown();
    } else doc.image(p.image, 50, 50, { width: 500 });
  }
  doc.end();
  await done;
  return Buffer.concat(parts);
}

/** A DOCX with a heading, paragraphs and a table. */
export async function makeDocx(spec: { heading: string; paragraphs: string[]; table?: string[][] }): Promise<Buffer> {
  const d = await import('docx');
  const children: Array<InstanceType<typeof d.Paragraph> | InstanceType<typeof d.Table>> = [
    new d.Paragraph({ text: spec.heading, heading: d.HeadingLevel.HEADING_1 }),
    ...spec.paragraphs.map((t) => new d.Paragraph({ children: [new d.TextRun(t)] })),
  ];
  if (spec.table)
    children.push(
      new d.Table({
        rows: spec.table.map(
          (r) => new d.TableRow({ children: r.map((c) => new d.TableCell({ children: [new d.Paragraph(c)] })) }),
        ),
      }),
    );
  const doc = new d.Document({ sections: [{ children }] });
  return Buffer.from(await d.Packer.toBuffer(doc));
}

/** A .docx-named zip of `entries` parts of 1 MB of zeros each (~1 KB each packed): it inflates past the 100 MB guard. */
export function zipBomb(entries = 120): Buffer {
  const size = 1024 * 1024;
  const data = deflateRawSync(Buffer.alloc(size), { level: 9 });
  return buildZip(Array.from({ length: entries }, (_, i) => ({ name: `word/part${i}.xml`, deflated: { data, size } })));
}

/** A minimal PDF whose page tree claims `count` pages (one real page object). */
export function hugePagesPdf(count: number): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [3 0 R] /Count ${count} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A PDF that claims to be encrypted (an /Encrypt dictionary pdf.js asks a password for). */
export async function encryptedPdf(): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ userPassword: 'secret', ownerPassword: 'owner', pdfVersion: '1.7' });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.text('Secret text.');
  doc.end();
  await done;
  return Buffer.concat(parts);
}
