import { operationShareLabel } from '../common/operation-labels';
import { percent, ROLE_NAMES, timelineBars, type ReportData } from './report-data';

/**
 * The provenance report as a PDF, drawn headless with pdfkit (no browser): coloured text runs,
 * shares, a vector timeline and the chain head (also in the document's metadata).
 */
export async function renderPdfReport(d: ReportData): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const p = d.provenance;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: `${d.title} · provenance`,
      Subject: `Palimpsest provenance, chain head ${p.head}`,
      Keywords: p.head,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const color = (id: string) => d.authors.get(id)?.color ?? '#888888';
  const nameColor = new Map([...d.authors.values()].map((a) => [a.name, a.color]));

  doc.fillColor('#666').fontSize(9).text('Palimpsest · provenance report');
  doc.fillColor('#111').fontSize(18).text(d.title);
  doc
    .fontSize(9)
    .fillColor('#555')
    .text(
      `Document ${d.documentId} · ${p.text.length} characters · ${p.events} events · ${new Date(d.generatedAt).toISOString()}`,
    );
  doc.moveDown();
  doc
    .fillColor('#111')
    .fontSize(12)
    .text(`${ROLE_NAMES[p.role]} · LLM involvement ${percent(p.involvement)}`);
  doc.moveDown(0.5);

  doc.fontSize(11).text('Authors');
  for (const [name, share] of Object.entries(p.shares)) {
    const y = doc.y;
    doc.rect(doc.x, y + 2, 8, 8).fill(nameColor.get(name) ?? '#888');
    doc
      .fillColor('#111')
      .fontSize(10)
      .text(`${name}: ${percent(share)}`, doc.x + 14, y);
    doc.x -= 14;
  }
  doc.moveDown(0.5).fontSize(11).text('Operations');
  for (const [op, share] of Object.entries(p.operationShares))
    doc.fontSize(10).text(`${operationShareLabel(op)}: ${percent(share)}`);
  doc.moveDown(0.5).fontSize(11).text('Timeline');
  drawTimeline(doc, d);

  doc.moveDown().fillColor('#111').fontSize(11).text('Text');
  doc.fontSize(10);
  p.spans.forEach((s, i) => {
    doc.fillColor(color(s.authorId)).text(p.text.slice(s.start, s.end), { continued: i < p.spans.length - 1 });
  });
  const refs = d.references ?? [];
  if (refs.length > 0) {
    doc.moveDown().fillColor('#111').fontSize(11).text('References', { continued: false });
    doc
      .fontSize(9)
      .fillColor('#555')
      .text('Library passages given to model authors as context for text accepted into this document.');
    refs.forEach((r, i) => {
      const where = r.page !== null ? `p. ${r.page}` : `passage ${r.chunk + 1}`;
      const uses = r.uses.map((u) => `${u.author} · ${operationShareLabel(u.operation)}`).join('; ');
      doc
        .fillColor('#111')
        .fontSize(9)
        .text(`${i + 1}. ${r.doc}, ${where}: “${r.excerpt}” (used by ${uses})`);
    });
  }
  doc
    .moveDown()
    .fillColor(d.verify.ok ? '#1b7f3b' : '#b00020')
    .fontSize(10);
  doc.text(
    d.verify.ok
      ? `The edit log is intact: ${d.verify.events} hash-chained events replay to this text.`
      : `The edit log is damaged: ${d.verify.firstBad?.reason ?? 'unknown reason'}.`,
  );
  doc.fillColor('#111').text(`Chain head (sha256): ${p.head}`);
  doc.end();
  return done;
}

function drawTimeline(doc: PDFKit.PDFDocument, d: ReportData): void {
  const bars = timelineBars(d.timeline, 100);
  const x0 = doc.page.margins.left;
  const w = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const h = 70;
  const y0 = doc.y + 4;
  if (bars.length > 0) {
    const bw = w / bars.length;
    const maxIns = Math.max(1, ...bars.map((b) => b.inserted));
    const maxLen = Math.max(1, ...bars.map((b) => b.length));
    bars.forEach((b, i) => {
      const bh = Math.max(1, (b.inserted / maxIns) * h);
      doc.rect(x0 + i * bw, y0 + h - bh, Math.max(0.5, bw - 0.5), bh).fill(d.authors.get(b.authorId)?.color ?? '#888');
    });
    bars.forEach((b, i) => {
      const x = x0 + (i + 0.5) * bw;
      const y = y0 + h - (b.length / maxLen) * h;
      if (i === 0) doc.moveTo(x, y);
      else doc.lineTo(x, y);
    });
    doc.strokeColor('#222').lineWidth(1).stroke();
  }
  doc.x = x0;
  doc.y = y0 + h + 8;
}
