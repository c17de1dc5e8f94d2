// review/page/app.js: the review app in the browser: the documents list and the document view of
// `ieum review`, drawn from the JSON API (docs/review-api.md) and redrawn from every answer, so the
// page always shows what the TM holds.  Keys are listed in index.html; every operation is one POST.
// No framework, no network beyond the server (its Content-Security-Policy forbids it anyway).
'use strict';

const token = document.querySelector('meta[name="ieum-token"]').content;
const $ = (id) => document.getElementById(id);
const state = { view: 'documents', docs: [], docSel: 0, doc: null, cur: 0, side: 0, seg: 0, editing: false, busy: false };

function api(method, path, body) {
  const opts = { method, headers: { 'X-Ieum-Token': token } };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  return fetch(path, opts).then(async (r) => {
    const data = await r.json().catch(() => ({ error: { status: r.status, message: r.statusText } }));
    if (!r.ok) throw new Error((data.error && data.error.message) || ('HTTP ' + r.status));
    return data;
  });
}

let toastTimer = 0;
function toast(msg, err) {
  const t = $('toast');
  t.textContent = msg;
  t.className = 'toast' + (err ? ' err' : '');
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, err ? 6000 : 2200);
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function pct(score) {
  return score === null || score === undefined ? '–' : Math.round(score * 100) + '%';
}

// ---- the documents list --------------------------------------------------------------------------

function showDocuments() {
  state.view = 'documents';
  state.doc = null;
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  $('document').hidden = true;
  $('documents').hidden = false;
  $('crumb').textContent = '';
  loadDocuments();
}

function loadDocuments() {
  const q = $('search').value.trim();
  return api('GET', 'api/documents' + (q ? '?q=' + encodeURIComponent(q) : '')).then((data) => {
    state.docs = data.documents;
    state.docSel = Math.min(state.docSel, Math.max(0, state.docs.length - 1));
    drawDocuments();
  }).catch((e) => toast(e.message, true));
}

function drawDocuments() {
  const tb = $('doc-rows');
  tb.textContent = '';
  state.docs.forEach((d, i) => {
    const tr = el('tr', i === state.docSel ? 'sel' : '');
    tr.dataset.id = d.id;
    const names = el('td', 'names');
    names.append(el('span', '', d.src_path || ''), el('small', '', d.tgt_path || ''));
    tr.append(names, el('td', 'num', d.units), el('td', 'num' + (d.doubtful ? ' bad' : ''), d.doubtful),
              el('td', 'num' + (d.unaligned ? ' bad' : ''), d.unaligned), el('td', 'num', d.reviewed + ' / ' + d.units),
              el('td', 'num', pct(d.min_score)));
    tr.addEventListener('click', () => openDocument(d.id));
    tb.append(tr);
  });
  $('doc-count').textContent = state.docs.length + (state.docs.length === 1 ? ' document pair' : ' document pairs') +
    ', most doubtful first';
}

// ---- the document view ---------------------------------------------------------------------------

function openDocument(id) {
  location.hash = 'doc=' + id;
}

function loadDocument(id) {
  return api('GET', 'api/documents/' + id).then((data) => {
    state.view = 'document';
    $('documents').hidden = true;
    $('document').hidden = false;
    setDoc(data, null);
    const first = state.doc.rows.findIndex((r) => r.doubtful);
    state.cur = first >= 0 ? first : 0;
    draw();
  }).catch((e) => { toast(e.message, true); showDocuments(); });
}

function setDoc(data, keepKey) {
  state.doc = data;
  const rows = data.rows;
  if (keepKey) {
    const i = rows.findIndex((r) => r.key === keepKey);
    if (i >= 0) state.cur = i;
  }
  state.cur = Math.max(0, Math.min(state.cur, rows.length - 1));
  fixSide();
}

function row() { return state.doc && state.doc.rows[state.cur]; }
function sideSegs(r, s) { return s ? r.tgt : r.src; }

// Keeps the selected side and sentence on something that exists.
function fixSide() {
  const r = row();
  if (!r) return;
  if (!sideSegs(r, state.side).length) state.side = 1 - state.side;
  state.seg = Math.max(0, Math.min(state.seg, sideSegs(r, state.side).length - 1));
}

function rowClass(r) {
  if (r.kind === 'unaligned') return 'unal' + (r.no_counterpart ? ' nc' : '');
  if (r.status) return 'done';
  if (r.score === null) return 'mid';
  if (r.score >= 0.8) return 'high';
  return r.score >= state.doc.threshold ? 'mid' : 'low';
}

function draw() {
  const d = state.doc;
  const tb = $('rows');
  tb.textContent = '';
  $('crumb').textContent = d.document.src_path + '  ↔  ' + d.document.tgt_path;
  $('src-head').textContent = 'Source (' + d.document.src_lang + ')';
  $('tgt-head').textContent = 'Target (' + d.document.tgt_lang + ')';
  $('doc-summary').textContent = d.document.units + ' units · ' + d.document.doubtful + ' doubtful · ' +
    d.document.reviewed + ' reviewed';
  $('undo').disabled = !d.can_undo;
  $('redo').disabled = !d.can_redo;
  d.rows.forEach((r, i) => {
    const tr = el('tr', rowClass(r) + (i === state.cur ? ' cur' : ''));
    tr.dataset.key = r.key;
    tr.dataset.index = i;
    tr.append(el('td', 'num', String(i + 1)));
    for (let s = 0; s < 2; s++) {
      const segs = sideSegs(r, s);
      const td = el('td', 'text' + (segs.length ? '' : ' empty') + (i === state.cur && s === state.side ? ' side-on' : ''));
      td.lang = s ? d.document.tgt_lang : d.document.src_lang;
      if (i === state.cur && state.editing && s === state.side) {
        const ta = el('textarea', 'edit');
        ta.value = segs.join('\n');
        ta.addEventListener('keydown', (ev) => {
          if (ev.key === 'Escape') { ev.preventDefault(); state.editing = false; draw(); }
          if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); saveEdit(ta.value); }
          ev.stopPropagation();
        });
        td.append(ta);
        setTimeout(() => ta.focus(), 0);
      } else {
        if (s === 0 && r.role && r.role !== 'body') td.append(el('span', 'role', r.role));
        segs.forEach((t, k) => {
          const sp = el('span', 'seg' + (i === state.cur && s === state.side && k === state.seg ? ' on' : ''), t);
          sp.addEventListener('click', () => { state.cur = i; state.side = s; state.seg = k; draw(); });
          td.append(sp);
        });
      }
      tr.append(td);
    }
    const meta = el('td', 'meta');
    meta.append(el('div', 'score', r.kind === 'unit' ? pct(r.score) : '–'), el('div', '', r.bead));
    if (r.doubtful) meta.append(el('span', 'badge doubt', r.kind === 'unit' ? 'doubtful' : 'unaligned'));
    else if (r.kind === 'unaligned' && r.no_counterpart) meta.append(el('span', 'badge nc', 'no counterpart'));
    else if (r.status) meta.append(el('span', 'badge ok', r.status));
    if (r.reviewer) meta.title = r.status + ' by ' + r.reviewer + ' at ' + new Date(r.reviewed * 1000).toLocaleString();
    tr.append(meta);
    tr.addEventListener('click', (ev) => {
      if (ev.target.classList.contains('seg')) return;
      state.cur = i;
      fixSide();
      draw();
    });
    tb.append(tr);
  });
  const cur = tb.children[state.cur];
  if (cur && !state.editing) cur.scrollIntoView({ block: 'nearest' });
}

function move(delta) {
  if (!state.doc || !state.doc.rows.length) return;
  state.cur = Math.max(0, Math.min(state.doc.rows.length - 1, state.cur + delta));
  fixSide();
  draw();
}

function nextDoubt(dir) {
  const rows = state.doc.rows;
  for (let k = 1; k <= rows.length; k++) {
    const i = (state.cur + dir * k + rows.length * k) % rows.length;
    if (rows[i].doubtful) {
      state.cur = i;
      fixSide();
      draw();
      return;
    }
  }
  toast('No doubtful row left in this document');
}

function send(body, what) {
  if (state.busy || !row()) return Promise.resolve();
  state.busy = true;
  const key = row().key;
  body.row = key;
  return api('POST', 'api/documents/' + state.doc.document.id + '/ops', body).then((data) => {
    setDoc(data, key);
    draw();
    toast(what);
  }).catch((e) => toast(e.message, true)).finally(() => { state.busy = false; });
}

function history_(which) {
  if (state.busy) return;
  state.busy = true;
  api('POST', 'api/documents/' + state.doc.document.id + '/' + which).then((data) => {
    setDoc(data, row() && row().key);
    draw();
    toast(which === 'undo' ? 'Undone' : 'Redone');
  }).catch((e) => toast(e.message, true)).finally(() => { state.busy = false; });
}

const sideName = () => (state.side ? 'tgt' : 'src');

function split() {
  const r = row();
  const n = [r.src.length, r.tgt.length];
  const at = [0, 0];
  at[state.side] = state.seg + 1;
  const o = 1 - state.side;
  at[o] = n[o] > 1 ? Math.min(at[state.side], n[o] - 1) : n[o];
  if (at[state.side] >= n[state.side] && n[state.side] > 1) at[state.side] = n[state.side] - 1;
  send({ op: 'split', src_at: at[0], tgt_at: at[1] }, 'Split');
}

function saveEdit(text) {
  const texts = text.split('\n').map((t) => t.trim()).filter((t) => t);
  state.editing = false;
  if (!texts.length) { draw(); toast('A side needs a sentence: delete the row instead', true); return; }
  send({ op: 'edit', side: sideName(), texts }, 'Saved');
}

function onKey(ev) {
  if (ev.target.tagName === 'INPUT' || ev.target.tagName === 'TEXTAREA') {
    if (ev.key === 'Escape') ev.target.blur();
    return;
  }
  if (state.view === 'documents') {
    const n = state.docs.length;
    if (ev.key === '/') { ev.preventDefault(); $('search').focus(); return; }
    if (!n) return;
    if (ev.key === 'j' || ev.key === 'ArrowDown') state.docSel = Math.min(n - 1, state.docSel + 1);
    else if (ev.key === 'k' || ev.key === 'ArrowUp') state.docSel = Math.max(0, state.docSel - 1);
    else if (ev.key === 'Enter') { openDocument(state.docs[state.docSel].id); return; }
    else return;
    ev.preventDefault();
    drawDocuments();
    return;
  }
  if (!state.doc) return;
  const r = row();
  const ctrl = ev.ctrlKey || ev.metaKey;
  if (ctrl && (ev.key === 'z' || ev.key === 'Z')) { ev.preventDefault(); history_(ev.shiftKey ? 'redo' : 'undo'); return; }
  if (ctrl && ev.key === 'y') { ev.preventDefault(); history_('redo'); return; }
  if (ctrl || ev.altKey) return;
  switch (ev.key) {
    case 'j': case 'ArrowDown': move(1); break;
    case 'k': case 'ArrowUp': move(-1); break;
    case 'n': nextDoubt(1); break;
    case 'N': nextDoubt(-1); break;
    case 'h': case 'ArrowLeft': if (r && r.src.length) { state.side = 0; fixSide(); draw(); } break;
    case 'l': case 'ArrowRight': if (r && r.tgt.length) { state.side = 1; fixSide(); draw(); } break;
    case '[': state.seg = Math.max(0, state.seg - 1); draw(); break;
    case ']': if (r) { state.seg = Math.min(sideSegs(r, state.side).length - 1, state.seg + 1); draw(); } break;
    case 'c': case 'Enter': send({ op: 'confirm' }, 'Confirmed'); break;
    case 'm': send({ op: 'merge', direction: -1 }, 'Merged with the row above'); break;
    case 'M': send({ op: 'merge', direction: 1 }, 'Merged with the row below'); break;
    case 's': if (r) split(); break;
    case 'x': send({ op: 'no-counterpart', side: sideName(), segment: state.seg }, 'Marked: no counterpart'); break;
    case 'u': send({ op: 'move', side: sideName(), direction: -1 }, 'Moved up'); break;
    case 'd': send({ op: 'move', side: sideName(), direction: 1 }, 'Moved down'); break;
    case 'e': if (r) { state.editing = true; draw(); } break;
    case 'Delete': case '#': send({ op: 'delete' }, 'Deleted'); break;
    case 'z': history_('undo'); break;
    case 'Z': case 'y': history_('redo'); break;
    case 'Escape': location.hash = ''; break;
    default: return;
  }
  ev.preventDefault();
}

function route() {
  const m = /^#doc=(\d+)$/.exec(location.hash);
  if (m) loadDocument(m[1]);
  else showDocuments();
}

document.addEventListener('keydown', onKey);
window.addEventListener('hashchange', route);
$('home').addEventListener('click', (ev) => { ev.preventDefault(); location.hash = ''; });
$('undo').addEventListener('click', () => history_('undo'));
$('redo').addEventListener('click', () => history_('redo'));
$('next-doubt').addEventListener('click', () => nextDoubt(1));
let searchTimer = 0;
$('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadDocuments, 200); });
api('GET', 'api/info').then((i) => {
  $('info').textContent = i.tm + ' · ' + (i.reviewer || '') + ' · doubtful under ' + pct(i.threshold);
}).catch((e) => toast(e.message, true));
route();
