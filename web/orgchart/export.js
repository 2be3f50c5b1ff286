// @ts-check
// Export what is shown: SVG (drawn from the data, not the DOM), PNG (that SVG on a canvas), CSV.

/**
 * @typedef {object} Row
 * @property {number} niveau   depth below the top unit
 * @property {string} uuid
 * @property {string} navn
 * @property {string} overordnet
 * @property {string} leder
 * @property {boolean} arvetLeder
 * @property {number | null} medarbejdere
 */

const ROW = 44;
const INDENT = 28;
const BOX = 420;

/** @param {string} s */
const xml = (s) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** @param {Row[]} rows @param {string} title */
export function toSvg(rows, title) {
  const depth = Math.max(0, ...rows.map((r) => r.niveau));
  const width = 40 + depth * INDENT + BOX;
  const height = 60 + rows.length * ROW;
  const boxes = rows.map((r, i) => {
    const x = 20 + r.niveau * INDENT;
    const y = 50 + i * ROW;
    const sub = [r.leder && `Leder: ${r.leder}${r.arvetLeder ? ' (arvet)' : ''}`, r.medarbejdere !== null && `${r.medarbejdere} medarbejdere`].filter(Boolean).join(' · ');
    return `<g data-uuid="${r.uuid}"><rect x="${x}" y="${y}" width="${BOX}" height="${ROW - 6}" rx="4" fill="#f4f7fb" stroke="#4a6a8a"/>` +
      `<text x="${x + 8}" y="${y + 16}" font-size="13" font-weight="bold" fill="#102030">${xml(r.navn)}</text>` +
      `<text x="${x + 8}" y="${y + 32}" font-size="11" fill="#3a4a5a">${xml(sub)}</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#ffffff"/><text x="20" y="30" font-size="16" font-weight="bold" fill="#102030">${xml(title)}</text>${boxes.join('')}</svg>`;
}

/** @param {string} svg @returns {Promise<Blob>} */
export async function toPng(svg) {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    ctx.drawImage(img, 0, 0);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** RFC 4180, with a BOM so Excel reads the Danish letters. @param {string[]} header @param {(string | number | null)[][]} rows */
export function toCsv(header, rows) {
  const cell = (/** @type {string | number | null} */ v) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** @param {string} name @param {Blob} blob */
export function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
