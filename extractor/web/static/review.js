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
const FIELD = { actor: "Cơ quan chủ trì", action: "Nhiệm vụ", deadline: "Thời hạn",
                modality: "Loại chỉ đạo" };

const $ = (id) => document.getElementById(id);
const state = { view: null, selected: null, selection: null, index: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function say(text, isError) {
  const m = $("message");
  m.textContent = text || "";
  m.classList.toggle("error", !!isError);
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
    const detail = data && data.detail ? data.detail : res.status + " " + res.statusText;
    throw new Error(detail);
  }
  return data;
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
  if (info.date) meta.push("Ngày " + info.date);
  if (info.issuing_body) meta.push(info.issuing_body.text);
  if (info.meeting && info.meeting.title) meta.push(info.meeting.title.text);
  meta.push("mã " + view.id);
  $("doc-meta").textContent = meta.join(" · ");
  const s = view.summary;
  $("summary").textContent = `${s.directives} chỉ đạo · ${s.accepted} đã chấp nhận · ` +
    `${s.rejected} đã từ chối · ${s.pending} chờ duyệt` + (s.added ? ` · ${s.added} thêm tay` : "");
  $("export-json").href = `/api/documents/${view.id}/export.json`;
  $("export-csv").href = `/api/documents/${view.id}/export.csv`;
  renderText(doc);
  renderList(doc);
  if (state.selected) select(state.selected, false);
}

function renderText(doc) {
  const text = doc.text || "";
  const ix = state.index;
  const spans = [];
  for (const d of doc.directives) {
    spans.push({ id: d.id, kind: "ev", start: ix.toCU(d.evidence.start), end: ix.toCU(d.evidence.end) });
    spans.push({ id: d.id, kind: "act", start: ix.toCU(d.action.start), end: ix.toCU(d.action.end) });
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
    const ev = [], act = [];
    for (const s of spans) {
      if (s.start <= a && b <= s.end && s.start < s.end) (s.kind === "ev" ? ev : act).push(s.id);
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
    const seg = el("span", { class: cls.join(" "), dataset: { start: String(a) } },
                   text.slice(a, b));
    if (act.length) seg.dataset.act = act.join(" ");
    if (ev.length) seg.dataset.ev = ev.join(" ");
    frag.append(seg);
  }
  box.append(frag);
}

function fieldRow(label, ...value) {
  return [el("dt", null, label), el("dd", null, ...value)];
}

function entityText(e) {
  if (!e) return "—";
  const same = (a, b) => (a || "").toLocaleLowerCase("vi") === (b || "").toLocaleLowerCase("vi");
  const name = e.canonical && e.canonical.name && !same(e.canonical.name, e.text)
    ? el("span", { class: "canon" }, " → " + e.canonical.name) : null;
  return [e.text || (e.canonical && e.canonical.name) || "—", name];
}

function originalText(field, value) {
  if (value === null || value === undefined) return "(trống)";
  if (field === "modality") return MODALITY[value] || value;
  if (field === "deadline") return (value.text || "") + (value.date ? ` (${value.date})` : "");
  return value.text || "";
}

function renderList(doc) {
  const list = $("directives");
  list.replaceChildren();
  doc.directives.forEach((d, i) => {
    const r = d.review;
    const low = d.confidence < LOW_CONFIDENCE;
    const deadline = d.deadline
      ? [d.deadline.text || "", d.deadline.date ? ` (${d.deadline.date})` : ""] : "—";
    const corrected = Object.entries(r.original || {}).map(([f, v]) =>
      el("div", { class: "orig" }, `Đã sửa ${FIELD[f] || f}; giá trị gốc: ${originalText(f, v)}`));
    const card = el("li", {
      class: `card directive ${r.status}${low ? " low" : ""}`, id: "card-" + d.id,
      dataset: { id: d.id, status: r.status },
    },
      el("header", { onclick: () => select(d.id, true), title: "Xem trong văn bản" },
        el("span", { class: "num" }, "#" + (i + 1)),
        el("span", { class: "badge " + r.status }, STATUS[r.status] + (r.added ? " (thêm tay)" : "")),
        low ? el("span", { class: "lowflag" }, "Độ tin cậy thấp") : null),
      el("dl", null,
        fieldRow("Người chỉ đạo", entityText(d.issuer)),
        fieldRow("Cơ quan chủ trì", el("span", { class: "f-actor" }, entityText(d.actor))),
        fieldRow("Phối hợp", d.coactors && d.coactors.length
          ? d.coactors.map((c, j) => [j ? "; " : "", entityText(c)]) : "—"),
        fieldRow("Nhiệm vụ", el("span", { class: "f-action" }, d.action.text)),
        fieldRow("Nội dung", (d.topic && d.topic.text) || (d.purpose && d.purpose.text) || "—"),
        fieldRow("Thời hạn", el("span", { class: "f-deadline" }, deadline)),
        fieldRow("Loại chỉ đạo", el("span", { class: "f-modality" }, MODALITY[d.modality] || d.modality)),
        fieldRow("Độ tin cậy", el("span", { class: "f-confidence" },
          d.confidence.toFixed(2).replace(".", ","))),
        r.reviewer ? fieldRow("Người duyệt", `${r.reviewer}, ${formatTime(r.reviewed_at)}`) : null),
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

function formatTime(iso) {
  if (!iso) return "";
  const t = new Date(iso);
  return isNaN(t) ? iso : t.toLocaleString("vi-VN");
}

function modalitySelect(value, id) {
  return el("select", { id, name: "modality" },
    Object.entries(MODALITY).map(([k, v]) => el("option", { value: k, selected: k === value }, v)));
}

function toggleEdit(d) {
  const card = $("card-" + d.id);
  const open = card.querySelector("form.edit");
  if (open) { open.remove(); return; }
  const form = el("form", { class: "edit" },
    el("label", { for: "e-actor-" + d.id }, "Cơ quan chủ trì"),
    el("input", { id: "e-actor-" + d.id, name: "actor", type: "text", value: d.actor ? d.actor.text : "" }),
    el("label", { for: "e-action-" + d.id }, "Nhiệm vụ"),
    el("textarea", { id: "e-action-" + d.id, name: "action", rows: "3" }, d.action.text),
    el("label", { for: "e-deadline-" + d.id }, "Hạn (ngày)"),
    el("input", { id: "e-deadline-" + d.id, name: "deadline_date", type: "date",
                  value: d.deadline && d.deadline.date ? d.deadline.date : "" }),
    el("label", { for: "e-modality-" + d.id }, "Loại chỉ đạo"),
    modalitySelect(d.modality, "e-modality-" + d.id),
    el("div", { class: "buttons" },
      el("button", { type: "submit", class: "primary save" }, "Lưu sửa đổi"),
      el("button", { type: "button", onclick: () => form.remove() }, "Hủy")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const fields = {};
    const actor = form.elements.actor.value.trim();
    const action = form.elements.action.value.trim();
    const date = form.elements.deadline_date.value;
    const modality = form.elements.modality.value;
    if (actor !== (d.actor ? d.actor.text : "")) fields.actor = actor || null;
    if (action !== d.action.text) fields.action = action;
    if (date !== (d.deadline && d.deadline.date ? d.deadline.date : "")) fields.deadline_date = date || null;
    if (modality !== d.modality) fields.modality = modality;
    if (!Object.keys(fields).length) { say("Không có thay đổi nào."); return; }
    decide(d.id, "correct", fields);
  });
  card.append(form);
  form.elements.actor.focus();
}

// -- selection between list and text ---------------------------------------------------

function select(id, scroll) {
  state.selected = id;
  document.querySelectorAll(".card.selected").forEach((c) => c.classList.remove("selected"));
  document.querySelectorAll("#text .seg.sel").forEach((s) => s.classList.remove("sel"));
  const card = $("card-" + id);
  if (!card) return;
  card.classList.add("selected");
  const segs = [...document.querySelectorAll("#text .seg[data-act]")]
    .filter((s) => s.dataset.act.split(" ").includes(id));
  segs.forEach((s) => s.classList.add("sel"));
  if (scroll) {
    if (segs.length) segs[0].scrollIntoView({ block: "center" });
    card.scrollIntoView({ block: "nearest" });
  }
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
  $("card-" + id).scrollIntoView({ block: "center" });
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
  if ($("add-deadline").value) body.deadline_date = $("add-deadline").value;
  try {
    const view = await api("POST", `/api/documents/${state.view.id}/directives`, body);
    $("add-form").hidden = true;
    state.adding = null;
    state.selected = view.directive.id;
    show(view);
    select(view.directive.id, true);
    say("Đã thêm chỉ đạo.");
  } catch (e) { say("Không thêm được: " + e.message, true); }
}

// -- decisions -------------------------------------------------------------------------

async function decide(id, action, fields) {
  const who = reviewer();
  if (!who) return;
  const body = { action, reviewer: who };
  if (fields) body.fields = fields;
  try {
    const view = await api("POST", `/api/documents/${state.view.id}/directives/${id}/review`, body);
    state.selected = id;
    show(view);
    const done = { accept: "Đã chấp nhận", reject: "Đã từ chối", correct: "Đã lưu sửa đổi",
                   reset: "Đã hoàn tác" }[action];
    say(`${done} chỉ đạo #${view.document.directives.findIndex((d) => d.id === id) + 1}.`);
  } catch (e) { say("Không lưu được: " + e.message, true); }
}

// -- loading documents -----------------------------------------------------------------

async function extract(body, label) {
  say(`Đang trích xuất ${label}…`);
  document.body.classList.add("busy");
  try {
    const view = await api("POST", "/api/extract", body);
    history.pushState(null, "", `/documents/${view.id}`);
    state.selected = null;
    show(view);
    say(view.reopened
      ? `Đã mở lại văn bản đã duyệt trước đây (${view.summary.directives} chỉ đạo).`
      : `Đã trích xuất ${view.summary.directives} chỉ đạo.`);
    loadRecent();
  } catch (e) {
    say("Không trích xuất được: " + e.message, true);
  } finally { document.body.classList.remove("busy"); }
}

async function openDocument(id) {
  try {
    show(await api("GET", `/api/documents/${id}`));
    say("");
  } catch (e) { say("Không mở được văn bản: " + e.message, true); }
}

async function loadRecent() {
  try {
    const docs = await api("GET", "/api/documents?limit=15");
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
  $("max-mb").textContent = Math.round(max / 1048576);
  $("reviewer").value = localStorage.getItem("reviewer") || "";
  $("reviewer").addEventListener("change", () => localStorage.setItem("reviewer", $("reviewer").value.trim()));
  $("add-modality").replaceWith(modalitySelect("obligation", "add-modality"));
  $("upload-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const file = $("file").files[0];
    if (!file) { say("Chọn một tệp để tải lên.", true); return; }
    if (file.size > max) {
      say(`Tệp quá lớn: ${(file.size / 1048576).toFixed(1)} MB, giới hạn ${Math.round(max / 1048576)} MB.`, true);
      return;
    }
    const form = new FormData();
    form.append("file", file);
    if ($("doc-date").value) form.append("doc_date", $("doc-date").value);
    extract(form, file.name);
  });
  $("paste-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("paste").value;
    if (!text.trim()) { say("Chưa có văn bản để trích xuất.", true); return; }
    const body = { text };
    if ($("doc-date").value) body.doc_date = $("doc-date").value;
    extract(body, "văn bản dán");
  });
  $("text").addEventListener("click", onTextClick);
  document.addEventListener("selectionchange", onSelectionChange);
  $("add-btn").addEventListener("click", openAdd);
  $("add-form").addEventListener("submit", submitAdd);
  $("add-cancel").addEventListener("click", () => { $("add-form").hidden = true; });
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
