// The clerk's review page. Everything goes through the JSON API of the same server;
// nothing is fetched from elsewhere. Offsets from the API count Unicode code points
// (Python); the DOM counts UTF-16 units, so they are converted (see makeIndex).
"use strict";

const LOW_CONFIDENCE = 0.6;
const MODALITY = {
  obligation: "Bắt buộc", prohibition: "Nghiêm cấm",
  recommendation: "Đề nghị", permission: "Cho phép",
};
const STATUS = { pending: "Chờ duyệt", accepted: "Đã chấp nhận", rejected: "Đã từ chối" };
const FIELD = { issuer: "Người chỉ đạo", actor: "Cơ quan chủ trì", coactors: "Cơ quan phối hợp",
                action: "Nhiệm vụ", topic: "Nội dung", purpose: "Mục đích", report_to: "Báo cáo cho",
                deadline: "Thời hạn", modality: "Loại chỉ đạo", sector: "Lĩnh vực" };
// Sector ids of extractor/data/sectors.json, filled from the page (data-sectors).
let SECTORS = {};
// The extractor's warnings are English; the ones a clerk acts on are said in Vietnamese.
const WARNINGS = [
  [/^deadline '(.*)': The year is not stated and the document date is unknown\.$/,
   (m) => `Thời hạn “${m[1]}” không ghi năm và chưa biết ngày văn bản: hãy nhập Ngày văn bản.`],
  [/^deadline '(.*)': (.*)$/, (m) => `Thời hạn “${m[1]}”: ${m[2]}`],
  [/^meeting date '(.*)' has no year and the document gives no date: left null$/,
   (m) => `Ngày họp “${m[1]}” không ghi năm và văn bản không ghi ngày: để trống.`],
  [/^legacy Vietnamese encoding (.*) detected; converted to Unicode( \(by font\))?$/,
   (m) => `Văn bản dùng bảng mã cũ ${m[1]}, đã chuyển sang Unicode: hãy soát lại dấu.`],
  [/^(\d+) invalid UTF-8 byte sequence\(s\) replaced by U\+FFFD/,
   (m) => `${m[1]} chỗ lỗi mã UTF-8 đã được thay bằng ký tự �.`],
  [/^content is (\w+) although the name ends in (.*)$/,
   (m) => `Nội dung là ${m[1]} dù tên tệp có đuôi ${m[2]}.`],
  [/^no main article found; using all text of the page$/,
   () => "Không tìm thấy bài chính của trang: đã dùng toàn bộ chữ của trang."],
  [/^pages without a text layer \(scanned\?\): (.*)$/,
   (m) => `Các trang không có lớp chữ (ảnh quét?): ${m[1]}.`],
  [/^removed (\d+) page header\/footer\/number lines$/,
   (m) => `Đã bỏ ${m[1]} dòng đầu trang, chân trang, số trang.`],
];
const REASONS = {
  addressees: "nơi gửi", byline: "dòng tác giả, nguồn", header: "tiêu đề trang",
  photo_caption: "chú thích ảnh", portal_prefix: "phần đầu trang báo", recipients: "nơi nhận",
  related_links: "tin liên quan", signature: "chữ ký", terminator: "phần cuối trang",
  view_counter: "lượt xem", duplicate: "bản lặp lại",
};

const $ = (id) => document.getElementById(id);
const state = { view: null, selected: null, selection: null, index: null, mode: "table",
                filter: "all", actor: "", sort: { key: "order", dir: 1 } };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function say(text, isError, reload) {
  const m = $("message");
  m.replaceChildren(text || "");
  m.classList.toggle("error", !!isError);
  if (reload) {
    m.append(" ", el("button", { type: "button", id: "reload-btn",
      onclick: () => openDocument(state.view.id) }, "Tải lại"));
  }
}

async function api(method, url, body) {
  const init = { method, headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    // The server's Vietnamese message; never a raw English validation message.
    const error = new Error((data && data.message) || `Lỗi máy chủ (mã ${res.status}).`);
    error.status = res.status;
    throw error;
  }
  return { data, headers: res.headers };
}

async function apiData(method, url, body) {
  return (await api(method, url, body)).data;
}

// -- formats ---------------------------------------------------------------------------

function fmtDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso || "");
}

// A date the clerk typed as dd/mm/yyyy (or d/m/yyyy) -> ISO; "" when empty, null when wrong.
function parseDate(value) {
  const text = (value || "").trim();
  if (!text) return "";
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCDate() !== d || t.getUTCMonth() !== mo - 1) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

// The ISO date of a date field, or throws the clerk's message.
function dateField(input, label) {
  const iso = parseDate(input.value);
  if (iso === null) {
    input.focus();
    throw new Error(`${label}: “${input.value}” không phải ngày dạng ngày/tháng/năm (vd. 30/06/2021).`);
  }
  return iso;
}

function dateInput(attrs) {
  return el("input", { type: "text", inputmode: "numeric", placeholder: "dd/mm/yyyy",
                       autocomplete: "off", class: "date", ...attrs });
}

function fmtNumber(x, digits) {
  return x.toFixed(digits).replace(".", ",");
}

// -- offsets: Python code points <-> JavaScript UTF-16 units ---------------------------

function makeIndex(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return { toCU: (i) => i, toCP: (i) => i };
  const cu = [0];  // cu[codePoint] = UTF-16 offset
  let unit = 0;
  for (const ch of text) { unit += ch.length; cu.push(unit); }
  return {
    toCU: (i) => cu[Math.min(i, cu.length - 1)],
    toCP: (u) => { let lo = 0, hi = cu.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (cu[mid] <= u) lo = mid; else hi = mid - 1; }
      return lo; },
  };
}

// -- rendering -------------------------------------------------------------------------

function reviewer() {
  const name = $("reviewer").value.trim();
  if (!name) {
    say("Vui lòng nhập tên người duyệt trước khi duyệt.", true);
    $("reviewer").focus();
    return null;
  }
  localStorage.setItem("reviewer", name);
  return name;
}

function show(view) {
  state.view = view;
  state.index = makeIndex(view.document.text || "");
  const doc = view.document;
  const info = doc.document || {};
  $("review").hidden = false;
  $("input").open = false;
  $("doc-title").textContent = info.number || view.name || "Văn bản dán";
  const meta = [];
  if (info.date) meta.push("Ngày " + fmtDate(info.date));
  if (info.issuing_body) meta.push(info.issuing_body.text);
  if (info.meeting && info.meeting.title) meta.push(info.meeting.title.text);
  meta.push("mã " + view.id);
  $("doc-meta").textContent = meta.join(" · ");
  const s = view.summary;
  $("summary").textContent = `${s.directives} chỉ đạo · ${s.accepted} đã chấp nhận · ` +
    `${s.rejected} đã từ chối · ${s.pending} chờ duyệt` + (s.added ? ` · ${s.added} thêm tay` : "");
  $("doc-date-set").value = fmtDate(view.doc_date || info.date || "");
  for (const fmt of ["json", "csv", "xlsx", "ics"]) {
    $("export-" + fmt).href = `/api/documents/${view.id}/export.${fmt}`;
  }
  renderWarnings(doc);
  renderText(doc);
  renderActorFilter(doc);
  renderList(doc);
  renderTable(doc);
  applyFilter();
  if (state.selected) select(state.selected, false);
}

function renderWarnings(doc) {
  const box = $("warnings");
  box.replaceChildren(...(doc.warnings || []).map((w) => el("li", null, warningText(w))));
  box.hidden = !(doc.warnings || []).length;
}

function warningText(w) {
  for (const [rx, say] of WARNINGS) {
    const m = rx.exec(w);
    if (m) return say(m);
  }
  return w;
}

function hasOffsets(span) {
  return span && span.start !== null && span.start !== undefined && span.end > span.start;
}

function renderText(doc) {
  const text = doc.text || "";
  const ix = state.index;
  const spans = [];
  for (const d of doc.directives) {
    spans.push({ id: d.id, kind: "ev", start: ix.toCU(d.evidence.start), end: ix.toCU(d.evidence.end) });
    if (hasOffsets(d.action)) {
      spans.push({ id: d.id, kind: "act", start: ix.toCU(d.action.start), end: ix.toCU(d.action.end) });
    }
  }
  for (const r of doc.skipped || []) {
    spans.push({ id: r.reason, kind: "skip", start: ix.toCU(r.start), end: ix.toCU(r.end) });
  }
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const byId = Object.fromEntries(doc.directives.map((d) => [d.id, d]));
  const box = $("text");
  box.replaceChildren();
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const ev = [], act = [], skip = [];
    for (const s of spans) {
      if (s.start <= a && b <= s.end && s.start < s.end) {
        ({ ev, act, skip })[s.kind].push(s.id);
      }
    }
    const cls = ["seg"];
    if (ev.length || act.length) cls.push("ev");
    if (act.length) {
      cls.push("act");
      const statuses = act.map((id) => byId[id].review.status);
      if (statuses.every((st) => st === "rejected")) cls.push("rej");
      else if (statuses.some((st) => st === "accepted")) cls.push("acc");
      if (act.some((id) => byId[id].confidence < LOW_CONFIDENCE)) cls.push("lowc");
    }
    if (skip.length) cls.push("skip");
    const seg = el("span", { class: cls.join(" "), dataset: { start: String(a) },
                             title: skip.length ? "Bỏ qua: " + skip.map(reasonText).join(", ") : null },
                   text.slice(a, b));
    if (act.length) seg.dataset.act = act.join(" ");
    if (ev.length) seg.dataset.ev = ev.join(" ");
    frag.append(seg);
  }
  box.append(frag);
}

function reasonText(reason) {
  return REASONS[reason] || reason;
}

function fieldRow(label, cls, ...value) {
  return [el("dt", null, label), el("dd", { class: cls }, ...value)];
}

function entityText(e) {
  if (!e) return "—";
  const same = (a, b) => (a || "").toLocaleLowerCase("vi") === (b || "").toLocaleLowerCase("vi");
  const name = e.canonical && e.canonical.name && !same(e.canonical.name, e.text)
    ? el("span", { class: "canon" }, " → " + e.canonical.name) : null;
  return [e.text || (e.canonical && e.canonical.name) || "—", name];
}

function entityPlain(e) {
  return e ? (e.text || (e.canonical && e.canonical.name) || "") : "";
}

function deadlineText(deadline) {
  if (!deadline) return "—";
  const date = deadline.date ? fmtDate(deadline.date) : "";
  if (!deadline.text) return date || "—";
  return deadline.text + (date ? ` (${date})` : "");
}

function originalText(field, value) {
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return "(trống)";
  if (field === "modality") return MODALITY[value] || value;
  if (field === "sector") return sectorName(value);
  if (field === "deadline") return deadlineText(value);
  if (field === "coactors") return value.map(entityPlain).join("; ");
  return value.text || "";
}

function flags(d) {
  return { low: d.confidence < LOW_CONFIDENCE, nodate: !!d.deadline && !d.deadline.date };
}

function renderList(doc) {
  const list = $("directives");
  list.replaceChildren();
  doc.directives.forEach((d, i) => {
    const r = d.review;
    const f = flags(d);
    const corrected = Object.entries(r.original || {}).map(([k, v]) =>
      el("div", { class: "orig" }, `Đã sửa ${FIELD[k] || k}; giá trị gốc: ${originalText(k, v)}`));
    const card = el("li", {
      class: `card directive ${r.status}${f.low ? " low" : ""}${f.nodate ? " nodate" : ""}`,
      id: "card-" + d.id, tabindex: "-1", dataset: { id: d.id, status: r.status },
    },
      el("header", { onclick: () => select(d.id, true), title: "Xem trong văn bản" },
        el("span", { class: "num" }, "#" + (i + 1)),
        el("span", { class: "badge " + r.status }, STATUS[r.status] + (r.added ? " (thêm tay)" : "")),
        f.low ? el("span", { class: "lowflag" }, "Độ tin cậy thấp") : null,
        f.nodate ? el("span", { class: "lowflag nodateflag" }, "Thời hạn chưa rõ ngày") : null),
      el("dl", null,
        fieldRow("Người chỉ đạo", "f-issuer", entityText(d.issuer)),
        fieldRow("Cơ quan chủ trì", "f-actor", entityText(d.actor)),
        fieldRow("Phối hợp", "f-coactors", d.coactors && d.coactors.length
          ? d.coactors.map((c, j) => [j ? "; " : "", entityText(c)]) : "—"),
        fieldRow("Nhiệm vụ", "f-action", d.action.text),
        fieldRow("Nội dung", "f-topic", (d.topic && d.topic.text) || "—"),
        d.purpose ? fieldRow("Mục đích", "f-purpose", d.purpose.text) : null,
        fieldRow("Báo cáo cho", "f-report-to", entityText(d.report_to)),
        fieldRow("Thời hạn", "f-deadline", deadlineText(d.deadline)),
        fieldRow("Loại chỉ đạo", "f-modality", MODALITY[d.modality] || d.modality),
        d.sector ? fieldRow("Lĩnh vực", "f-sector", sectorName(d.sector)) : null,
        fieldRow("Độ tin cậy", "f-confidence", fmtNumber(d.confidence, 2)),
        r.reviewer ? fieldRow("Người duyệt", "f-reviewer", `${r.reviewer}, ${formatTime(r.reviewed_at)}`) : null),
      corrected,
      el("div", { class: "buttons" },
        el("button", { type: "button", class: "accept", onclick: () => decide(d.id, "accept") }, "Chấp nhận"),
        el("button", { type: "button", class: "reject", onclick: () => decide(d.id, "reject") }, "Từ chối"),
        el("button", { type: "button", class: "edit-btn", onclick: () => toggleEdit(d) }, "Sửa"),
        r.status !== "pending"
          ? el("button", { type: "button", class: "reset", onclick: () => decide(d.id, "reset") }, "Hoàn tác")
          : null));
    list.append(card);
  });
}

// -- the table view: sortable, filterable ------------------------------------------------

const COLUMNS = [
  ["order", "#", (d, i) => i],
  ["actor", "Cơ quan chủ trì", (d) => entityPlain(d.actor)],
  ["action", "Nhiệm vụ", (d) => d.action.text],
  ["deadline", "Thời hạn", (d) => (d.deadline && d.deadline.date) || (d.deadline ? "~" : "~~")],
  ["modality", "Loại", (d) => MODALITY[d.modality] || d.modality],
  ["status", "Trạng thái", (d) => STATUS[d.review.status]],
  ["confidence", "Tin cậy", (d) => d.confidence],
];

function renderTable(doc) {
  const order = doc.directives.map((d, i) => ({ d, i }));
  const col = COLUMNS.find((c) => c[0] === state.sort.key) || COLUMNS[0];
  order.sort((x, y) => {
    const a = col[2](x.d, x.i), b = col[2](y.d, y.i);
    const c = typeof a === "number" ? a - b : String(a).localeCompare(String(b), "vi");
    return (c || x.i - y.i) * state.sort.dir;
  });
  const head = el("tr", null, COLUMNS.map(([key, label]) => el("th", {
    scope: "col", class: "sortable", dataset: { key },
    "aria-sort": state.sort.key === key ? (state.sort.dir > 0 ? "ascending" : "descending") : null,
    onclick: () => sortBy(key),
  }, label, state.sort.key === key ? (state.sort.dir > 0 ? " ▲" : " ▼") : "")));
  const rows = order.map(({ d, i }) => {
    const f = flags(d);
    return el("tr", {
      id: "row-" + d.id, tabindex: "-1",
      class: `${d.review.status}${f.low ? " low" : ""}${f.nodate ? " nodate" : ""}`,
      dataset: { id: d.id, status: d.review.status }, onclick: () => select(d.id, true),
    },
      el("td", { class: "n" }, String(i + 1)),
      el("td", null, entityPlain(d.actor) || "—"),
      el("td", null, d.action.text),
      el("td", null, d.deadline ? (d.deadline.date ? fmtDate(d.deadline.date) : "chưa rõ ngày") : "—"),
      el("td", null, MODALITY[d.modality] || d.modality),
      el("td", null, STATUS[d.review.status]),
      el("td", { class: "n" + (f.low ? " lowc" : "") }, fmtNumber(d.confidence, 2)));
  });
  $("table").replaceChildren(el("thead", null, head), el("tbody", null, rows));
}

function sortBy(key) {
  state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
  renderTable(state.view.document);
  applyFilter();
  if (state.selected) select(state.selected, false);
}

function renderActorFilter(doc) {
  const actors = [...new Set(doc.directives.map((d) => entityPlain(d.actor)).filter(Boolean))]
    .sort((a, b) => a.localeCompare(b, "vi"));
  if (state.actor && !actors.includes(state.actor)) state.actor = "";
  $("filter-actor").replaceChildren(el("option", { value: "" }, "Mọi cơ quan"),
    ...actors.map((a) => el("option", { value: a, selected: a === state.actor }, a)));
}

const FILTERS = {
  all: () => true,
  pending: (d) => d.review.status === "pending",
  low: (d) => d.confidence < LOW_CONFIDENCE,
  nodate: (d) => !d.deadline || !d.deadline.date,
};

function visible(d) {
  return FILTERS[state.filter](d) && (!state.actor || entityPlain(d.actor) === state.actor);
}

function applyFilter() {
  let shown = 0;
  for (const d of state.view.document.directives) {
    const on = visible(d);
    shown += on;
    for (const node of [$("card-" + d.id), $("row-" + d.id)]) if (node) node.hidden = !on;
  }
  $("filter-count").textContent = `${shown}/${state.view.document.directives.length} chỉ đạo`;
}

function setMode(mode) {
  state.mode = mode;
  $("table-wrap").hidden = mode !== "table";
  // The table view keeps the selected directive's card below the table, to act on it.
  document.querySelector(".list-col").classList.toggle("table-mode", mode === "table");
  $("mode-table").setAttribute("aria-pressed", String(mode === "table"));
  $("mode-cards").setAttribute("aria-pressed", String(mode === "cards"));
  if (state.selected) select(state.selected, true);
}

function formatTime(iso) {
  if (!iso) return "";
  const t = new Date(iso);
  if (isNaN(t)) return iso;
  const two = (n) => String(n).padStart(2, "0");
  return `${two(t.getDate())}/${two(t.getMonth() + 1)}/${t.getFullYear()} ` +
    `${two(t.getHours())}:${two(t.getMinutes())}`;
}

function modalitySelect(value, id) {
  return el("select", { id, name: "modality" },
    Object.entries(MODALITY).map(([k, v]) => el("option", { value: k, selected: k === value }, v)));
}

// A sector is {id, label, confidence, source} (read by the extractor or set by the clerk).
function sectorId(sector) { return sector ? (sector.id || sector) : ""; }
function sectorName(sector) { return sector ? (sector.label || SECTORS[sectorId(sector)] || sectorId(sector)) : ""; }

function sectorSelect(value, id) {
  return el("select", { id, name: "sector" }, el("option", { value: "" }, "(chưa chọn)"),
    Object.entries(SECTORS).map(([k, v]) => el("option", { value: k, selected: k === value }, v)));
}

// (field, label, how the form shows it, input factory)
const EDITS = [
  ["issuer", "Người chỉ đạo", (d) => entityPlain(d.issuer)],
  ["actor", "Cơ quan chủ trì", (d) => entityPlain(d.actor)],
  ["coactors", "Phối hợp (cách nhau bởi ;)", (d) => (d.coactors || []).map(entityPlain).join("; ")],
  ["action", "Nhiệm vụ", (d) => d.action.text, "textarea"],
  ["topic", "Nội dung", (d) => (d.topic && d.topic.text) || ""],
  ["purpose", "Mục đích", (d) => (d.purpose && d.purpose.text) || ""],
  ["report_to", "Báo cáo cho", (d) => entityPlain(d.report_to)],
];

function toggleEdit(d) {
  const card = $("card-" + d.id);
  const open = card.querySelector("form.edit");
  if (open) { open.remove(); return; }
  const inputs = EDITS.map(([name, label, value, kind]) => [
    el("label", { for: `e-${name}-${d.id}` }, label),
    kind === "textarea"
      ? el("textarea", { id: `e-${name}-${d.id}`, name, rows: "3" }, value(d))
      : el("input", { id: `e-${name}-${d.id}`, name, type: "text", value: value(d) })]);
  const form = el("form", { class: "edit" }, inputs,
    el("label", { for: "e-deadline-" + d.id }, "Hạn (ngày)"),
    dateInput({ id: "e-deadline-" + d.id, name: "deadline_date",
                value: d.deadline && d.deadline.date ? fmtDate(d.deadline.date) : "" }),
    el("label", { for: "e-modality-" + d.id }, "Loại chỉ đạo"),
    modalitySelect(d.modality, "e-modality-" + d.id),
    el("label", { for: "e-sector-" + d.id }, "Lĩnh vực"),
    sectorSelect(sectorId(d.sector), "e-sector-" + d.id),
    el("div", { class: "buttons" },
      el("button", { type: "submit", class: "primary save" }, "Lưu sửa đổi"),
      el("button", { type: "button", onclick: () => { form.remove(); focusDirective(d.id); } }, "Hủy")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    let fields;
    try { fields = changedFields(d, form.elements); } catch (e) { say(e.message, true); return; }
    if (!Object.keys(fields).length) { say("Không có thay đổi nào."); return; }
    decide(d.id, "correct", fields);
  });
  form.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { form.remove(); focusDirective(d.id); }
  });
  card.append(form);
  form.elements.actor.focus();
}

function changedFields(d, els) {
  const fields = {};
  for (const [name, , value] of EDITS) {
    const now = els[name].value.trim();
    if (now === value(d)) continue;
    if (name === "coactors") fields.coactors = now.split(";").map((x) => x.trim()).filter(Boolean);
    else fields[name] = now || null;
  }
  const date = dateField(els.deadline_date, "Hạn");
  if (date !== (d.deadline && d.deadline.date ? d.deadline.date : "")) fields.deadline_date = date || null;
  if (els.modality.value !== d.modality) fields.modality = els.modality.value;
  if (els.sector.value !== sectorId(d.sector)) fields.sector = els.sector.value || null;
  return fields;
}

// -- selection between list and text ---------------------------------------------------

function select(id, scroll) {
  state.selected = id;
  document.querySelectorAll(".card.selected, #table tr.selected")
    .forEach((c) => c.classList.remove("selected"));
  document.querySelectorAll("#text .seg.sel").forEach((s) => s.classList.remove("sel"));
  const card = $("card-" + id);
  if (!card) return;
  card.classList.add("selected");
  const row = $("row-" + id);
  if (row) row.classList.add("selected");
  const segs = [...document.querySelectorAll("#text .seg[data-act], #text .seg[data-ev]")]
    .filter((s) => (s.dataset.act || s.dataset.ev).split(" ").includes(id));
  const acts = segs.filter((s) => s.dataset.act && s.dataset.act.split(" ").includes(id));
  (acts.length ? acts : segs).forEach((s) => s.classList.add("sel"));
  if (scroll) {
    if (segs.length) segs[0].scrollIntoView({ block: "center" });
    currentItem(id).scrollIntoView({ block: "nearest" });
    if (state.mode === "table") card.scrollIntoView({ block: "nearest" });
  }
}

// The card or the table row of a directive, whichever view is shown.
function currentItem(id) {
  return (state.mode === "table" ? $("row-" + id) : null) || $("card-" + id);
}

function focusDirective(id) {
  const item = currentItem(id);
  if (item) item.focus({ preventScroll: false });
}

function onTextClick(ev) {
  const seg = ev.target.closest(".seg");
  if (!seg || !window.getSelection().isCollapsed) return;
  const ids = (seg.dataset.act || seg.dataset.ev || "").split(" ").filter(Boolean);
  if (!ids.length) return;
  // Clicking again on shared text cycles through the directives it belongs to.
  const at = ids.indexOf(state.selected);
  const id = ids[(at + 1) % ids.length];
  select(id, false);
  currentItem(id).scrollIntoView({ block: "center" });
}

function textOffset(node, offset) {
  const box = $("text");
  if (node === box) {
    const child = box.childNodes[offset];
    return child ? Number(child.dataset.start) : box.textContent.length;
  }
  const seg = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (!seg || !seg.classList.contains("seg")) return null;
  return Number(seg.dataset.start) + (node.nodeType === Node.TEXT_NODE ? offset : 0);
}

function onSelectionChange() {
  const sel = window.getSelection();
  state.selection = null;
  if (sel && sel.rangeCount && !sel.isCollapsed && state.view) {
    const range = sel.getRangeAt(0);
    const box = $("text");
    if (box.contains(range.startContainer) && box.contains(range.endContainer)) {
      const a = textOffset(range.startContainer, range.startOffset);
      const b = textOffset(range.endContainer, range.endOffset);
      if (a !== null && b !== null && b > a) {
        state.selection = { start: state.index.toCP(a), end: state.index.toCP(b) };
      }
    }
  }
  $("add-btn").disabled = !state.selection;
}

function openAdd() {
  if (!state.selection) return;
  const cp = state.selection;
  const text = state.view.document.text;
  const chosen = Array.from(text).slice(cp.start, cp.end).join("");
  state.adding = { ...cp };
  $("add-action").textContent = chosen.trim();
  $("add-actor").value = "";
  $("add-deadline").value = "";
  $("add-modality").value = "obligation";
  $("add-form").hidden = false;
  $("add-form").scrollIntoView({ block: "nearest" });
  $("add-actor").focus();
}

async function submitAdd(ev) {
  ev.preventDefault();
  const who = reviewer();
  if (!who || !state.adding) return;
  const body = { ...state.adding, reviewer: who, modality: $("add-modality").value };
  if ($("add-actor").value.trim()) body.actor = $("add-actor").value.trim();
  try {
    const date = dateField($("add-deadline"), "Thời hạn");
    if (date) body.deadline_date = date;
  } catch (e) { say(e.message, true); return; }
  try {
    const view = await apiData("POST", `/api/documents/${state.view.id}/directives`, body);
    $("add-form").hidden = true;
    state.adding = null;
    state.selected = view.directive.id;
    show(view);
    select(view.directive.id, true);
    say("Đã thêm chỉ đạo.");
  } catch (e) { say("Không thêm được: " + e.message, true); }
}

// -- decisions -------------------------------------------------------------------------

function directive(id) {
  return state.view.document.directives.find((d) => d.id === id);
}

async function decide(id, action, fields) {
  const who = reviewer();
  if (!who) return;
  // The version this page shows: a clerk elsewhere who decided since gets a 409.
  const body = { action, reviewer: who, version: directive(id).review.version };
  if (fields) body.fields = fields;
  try {
    const view = await apiData("POST", `/api/documents/${state.view.id}/directives/${id}/review`, body);
    state.selected = id;
    show(view);
    focusDirective(id);  // keyboard work goes on where it was
    const done = { accept: "Đã chấp nhận", reject: "Đã từ chối", correct: "Đã lưu sửa đổi",
                   reset: "Đã hoàn tác" }[action];
    say(`${done} chỉ đạo #${view.document.directives.findIndex((d) => d.id === id) + 1}.`);
  } catch (e) {
    say("Không lưu được: " + e.message, true, e.status === 409);
    if (e.status !== 409) focusDirective(id);
  }
}

async function setDocDate(ev) {
  ev.preventDefault();
  const who = reviewer();
  if (!who) return;
  let value;
  try { value = dateField($("doc-date-set"), "Ngày văn bản"); } catch (e) { say(e.message, true); return; }
  if (!value) { say("Nhập ngày văn bản (ngày/tháng/năm).", true); return; }
  try {
    const view = await apiData("PUT", `/api/documents/${state.view.id}/doc-date`,
                               { doc_date: value, reviewer: who });
    show(view);
    say(`Đã đặt ngày văn bản ${fmtDate(value)}; thời hạn đã được tính lại.`);
  } catch (e) { say("Không đặt được ngày: " + e.message, true); }
}

// -- keyboard: j/k move, a/r accept/reject, e edit ----------------------------------------

function visibleIds() {
  const rows = state.mode === "table"
    ? [...document.querySelectorAll("#table tbody tr")] : [...document.querySelectorAll("#directives .card")];
  return rows.filter((n) => !n.hidden).map((n) => n.dataset.id);
}

function move(step) {
  const ids = visibleIds();
  if (!ids.length) return;
  const at = ids.indexOf(state.selected);
  const next = ids[at < 0 ? 0 : Math.max(0, Math.min(ids.length - 1, at + step))];
  select(next, true);
  focusDirective(next);
}

function onKey(ev) {
  if (!state.view || $("review").hidden || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest && ev.target.closest("input, textarea, select, [contenteditable]")) return;
  const id = state.selected;
  const keys = {
    j: () => move(1), k: () => move(-1),
    a: () => id && decide(id, "accept"), r: () => id && decide(id, "reject"),
    e: () => id && toggleEdit(directive(id)),
  };
  const run = keys[ev.key];
  if (run) { ev.preventDefault(); run(); }
}

// -- loading documents -----------------------------------------------------------------

async function extract(body, label) {
  say(`Đang trích xuất ${label}…`);
  document.body.classList.add("busy");
  try {
    const { headers } = await api("POST", "/api/extract", body);
    const id = headers.get("X-Document-Id");
    const reopened = headers.get("X-Reopened") === "true";
    const view = await apiData("GET", `/api/documents/${id}`);
    history.pushState(null, "", `/documents/${view.id}`);
    state.selected = null;
    show(view);
    say(reopened
      ? `Đã mở lại văn bản đã duyệt trước đây (${view.summary.directives} chỉ đạo).`
      : `Đã trích xuất ${view.summary.directives} chỉ đạo.`);
    loadRecent();
  } catch (e) {
    say("Không trích xuất được: " + e.message, true);
  } finally { document.body.classList.remove("busy"); }
}

async function openDocument(id) {
  try {
    show(await apiData("GET", `/api/documents/${id}`));
    say("");
  } catch (e) { say("Không mở được văn bản: " + e.message, true); }
}

async function loadRecent() {
  try {
    const docs = await apiData("GET", "/api/documents?limit=15");
    const ul = $("recent");
    ul.replaceChildren();
    if (!docs.length) ul.append(el("li", { class: "hint" }, "Chưa có văn bản nào."));
    for (const d of docs) {
      ul.append(el("li", null, el("a", { href: `/documents/${d.id}` }, d.name || `Văn bản dán ${d.id}`),
        ` — ${d.extracted + d.added} chỉ đạo, đã duyệt ${d.reviewed}`));
    }
  } catch (e) { /* the list is a convenience */ }
}

function init() {
  const max = Number(document.body.dataset.maxUpload);
  SECTORS = JSON.parse(document.body.dataset.sectors || "{}");
  $("max-mb").textContent = Math.round(max / 1048576);
  $("reviewer").value = localStorage.getItem("reviewer") || "";
  $("reviewer").addEventListener("change", () => localStorage.setItem("reviewer", $("reviewer").value.trim()));
  $("add-modality").replaceWith(modalitySelect("obligation", "add-modality"));
  $("upload-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const file = $("file").files[0];
    if (!file) { say("Chọn một tệp để tải lên.", true); return; }
    if (file.size > max) {
      say(`Tệp quá lớn: ${fmtNumber(file.size / 1048576, 1)} MB, giới hạn ${Math.round(max / 1048576)} MB.`, true);
      return;
    }
    const form = new FormData();
    form.append("file", file);
    try {
      const date = dateField($("doc-date"), "Ngày văn bản");
      if (date) form.append("doc_date", date);
    } catch (e) { say(e.message, true); return; }
    extract(form, file.name);
  });
  $("paste-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("paste").value;
    if (!text.trim()) { say("Chưa có văn bản để trích xuất.", true); return; }
    const body = { text };
    try {
      const date = dateField($("doc-date"), "Ngày văn bản");
      if (date) body.doc_date = date;
    } catch (e) { say(e.message, true); return; }
    extract(body, "văn bản dán");
  });
  $("text").addEventListener("click", onTextClick);
  document.addEventListener("selectionchange", onSelectionChange);
  document.addEventListener("keydown", onKey);
  $("add-btn").addEventListener("click", openAdd);
  $("add-form").addEventListener("submit", submitAdd);
  $("add-cancel").addEventListener("click", () => { $("add-form").hidden = true; });
  $("doc-date-form").addEventListener("submit", setDocDate);
  $("mode-table").addEventListener("click", () => setMode("table"));
  $("mode-cards").addEventListener("click", () => setMode("cards"));
  $("filter").addEventListener("change", () => { state.filter = $("filter").value; applyFilter(); });
  $("filter-actor").addEventListener("change", () => { state.actor = $("filter-actor").value; applyFilter(); });
  setMode(window.matchMedia("(max-width: 800px)").matches ? "cards" : "table");
  window.addEventListener("popstate", route);
  route();
  loadRecent();
}

function route() {
  const m = location.pathname.match(/^\/documents\/([0-9a-f]+)$/);
  if (m) openDocument(m[1]);
  else { $("review").hidden = true; $("input").open = true; }
}

init();
