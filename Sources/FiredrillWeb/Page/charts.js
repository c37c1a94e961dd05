"use strict";
// Shared by the load and drill pages: number formatting, table rows and a small line chart on a canvas.

const $ = (id) => document.getElementById(id);

/** A table cell with `text` (never parsed as HTML) and an optional class. */
function cell(text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; return td; }

/** Replaces the rows of table `id`: `render(row, tr)` fills one `<tr>` per item of `rows`. */
function fillTable(id, rows, render) {
  const body = $(id).tBodies[0];
  body.replaceChildren(...rows.map((r) => { const tr = document.createElement("tr"); render(r, tr); return tr; }));
}

/** A number for a table or an axis: fewer decimals as it grows; "–" when missing. */
function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (typeof v === "string") return v;
  const d = digits === undefined ? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2) : digits;
  return v.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: d });
}

/** Draws `series` (each {color, value(point)}) over `points` (each with `time`, seconds) on `canvas`. */
function drawChart(canvas, points, series) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  canvas.width = w * ratio; canvas.height = h * ratio;
  const g = canvas.getContext("2d");
  g.scale(ratio, ratio);
  g.clearRect(0, 0, w, h);
  const left = 48, bottom = 20, top = 8, right = 8;
  const n = points.length;
  let max = 0;
  for (const s of series) for (const p of points) { const v = s.value(p); if (v !== null && v !== undefined && v > max) max = v; }
  max = max > 0 ? max * 1.1 : 1;
  g.strokeStyle = "#d8dce3"; g.fillStyle = "#667"; g.font = "11px system-ui"; g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = top + (h - top - bottom) * i / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(w - right, y); g.stroke();
    g.fillText(fmt(max * (4 - i) / 4), 2, y + 4);
  }
  if (n === 0) { canvas.dataset.points = "0"; return; }
  const t0 = points[0].time, t1 = Math.max(points[n - 1].time, t0 + 1);
  g.fillText(fmt(0, 0) + " s", left, h - 4);
  g.fillText(fmt(t1 - t0, 0) + " s", w - right - 40, h - 4);
  const px = (t) => left + (w - left - right) * (t - t0) / (t1 - t0);
  const py = (v) => top + (h - top - bottom) * (1 - v / max);
  for (const s of series) {
    g.strokeStyle = s.color; g.lineWidth = 2; g.beginPath();
    let pen = false;
    for (const p of points) {
      const v = s.value(p);
      if (v === null || v === undefined) { pen = false; continue; }
      if (pen) g.lineTo(px(p.time), py(v)); else g.moveTo(px(p.time), py(v));
      pen = true;
    }
    g.stroke();
  }
  canvas.dataset.points = String(n);
}
