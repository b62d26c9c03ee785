// Data Flows: the agent's pipelines, live, through its REST API only. No build step, no libraries.
'use strict';

const TOKEN_KEY = 'foundrydb.token';
const POLL_MS = 2000;
const FIELD_IDS = {
  name: 'name', source_service_id: 'source', sink_service_id: 'sink',
  'config.topic_prefix': 'topic-prefix', 'config.tables': 'tables', config: 'tables',
};

const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem(TOKEN_KEY), timer: null, deleting: new Map(), confirming: null };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// An error answer is an RFC 9457 problem: detail (and message, the same text), field and hint.
class ApiError extends Error {
  constructor(status, body) {
    super(body && (body.detail || body.message) ? body.detail || body.message : 'the agent answered ' + status);
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body, contentType = 'application/json') {
  const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await fetch(path, {
    method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
  if (res.status === 401 && state.token) {
    signOut((json && json.message) || 'the token was refused');
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

// ---- sign in / out -------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  const token = $('token').value.trim();
  showFieldError('token', null);
  if (!token) {
    showFieldError('token', { message: 'Enter the token.', hint: 'foundrydb-agent dev prints it; so does dev.env' });
    return;
  }
  state.token = token;
  try {
    await api('GET', '/v1/services');
  } catch (e) {
    state.token = null;
    showFieldError('token', e instanceof ApiError ? e.body : { message: 'The agent does not answer: ' + e.message });
    $('token').focus();
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token').value = '';
  await showApp();
}

function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  clearTimeout(state.timer);
  state.timer = null;
  $('app').hidden = true;
  $('account').hidden = true;
  $('sign-in').hidden = false;
  document.querySelector('#pipelines tbody').replaceChildren();
  if (typeof reason === 'string') showFieldError('token', { message: reason, hint: 'sign in again' });
  $('token').focus();
}

async function showApp() {
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('account').hidden = false;
  $('endpoint').textContent = 'Agent ' + location.host;
  await loadServices();
  await refresh();
}

// ---- pipelines, live -----------------------------------------------------------------------

async function refresh() {
  clearTimeout(state.timer);
  try {
    const { pipelines } = await api('GET', '/v1/pipelines');
    const live = await Promise.all(pipelines.map((p) =>
      api('GET', '/v1/pipelines/' + encodeURIComponent(p.id) + '?live=true').catch(() => p)));
    render(live);
    $('refreshed').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · every 2 s';
  } catch (e) {
    $('refreshed').textContent = 'Cannot refresh: ' + e.message;
  }
  if (state.token) state.timer = setTimeout(refresh, POLL_MS);
}

function render(pipelines) {
  const tbody = document.querySelector('#pipelines tbody');
  const seen = new Set();
  for (const p of pipelines) {
    seen.add(p.id);
    let row = tbody.querySelector(`tr[data-id="${CSS.escape(p.id)}"]`);
    if (!row) {
      row = newRow(p);
      tbody.append(row);
    }
    updateRow(row, p);
  }
  for (const row of [...tbody.rows]) {
    if (!seen.has(row.dataset.id)) {
      const name = row.dataset.name;
      row.remove();
      if (state.deleting.has(row.dataset.id)) {
        state.deleting.delete(row.dataset.id);
        notice(`Pipeline ${name} is deleted: nothing of it is left on the source or the sink.`);
      }
    }
  }
  $('pipelines').hidden = tbody.rows.length === 0;
  $('empty').hidden = tbody.rows.length !== 0;
}

function newRow(p) {
  const row = el('tr', { 'data-id': p.id, 'data-name': p.name });
  const cells = ['Pipeline', 'Phase', 'Connector / tasks', 'Lag', 'Last change', 'Streaming from', 'Last error', 'Actions'];
  for (const label of cells) row.append(el('td', { 'data-label': label }));
  row.cells[0].append(el('strong', { class: 'name', text: p.name }), el('span', { class: 'id', text: p.id }));
  const toggle = el('button', { type: 'button', class: 'secondary small toggle' });
  toggle.addEventListener('click', () => setDesiredState(row.dataset.id, row.dataset.desired === 'running' ? 'stopped' : 'running'));
  const del = el('button', { type: 'button', class: 'danger small delete', text: 'Delete' });
  del.setAttribute('aria-label', 'Delete ' + p.name);
  del.addEventListener('click', () => confirmDelete(row.dataset.id, row.dataset.name, del));
  row.cells[7].append(el('div', { class: 'actions' }, toggle, del));
  return row;
}

function updateRow(row, p) {
  const s = p.status || {};
  row.dataset.desired = p.desired_state;
  row.dataset.phase = s.phase;
  const ready = condition(s, 'Ready');
  const phase = el('span', { class: 'phase ' + s.phase, text: s.phase });
  if (ready) phase.title = 'Ready: ' + ready.status + ' (' + ready.reason + '): ' + ready.message;
  const step = s.step ? el('span', { class: 'step', text: (s.phase === 'deleting' ? 'tearing down: ' : 'step: ') + s.step }) : null;
  row.cells[1].replaceChildren(...[phase, step].filter((e) => e));
  const tasks = (s.task_states || []).join(', ');
  row.cells[2].textContent = (s.connector_state || '—') + ' / ' + (tasks || '—');
  row.cells[3].replaceChildren(s.lag_bytes == null ? '—' : el('span', { title: s.lag_bytes + ' bytes', text: bytes(s.lag_bytes) }));
  row.cells[4].replaceChildren(s.last_event_at
    ? el('time', { datetime: s.last_event_at, title: s.last_event_at, text: ago(s.last_event_at) }) : '—');
  row.cells[5].textContent = s.streaming_host || '—';
  const errors = [];
  if (s.last_error) errors.push(el('span', { class: 'error-text', text: s.last_error }));
  if (s.connector_error) errors.push(el('span', { class: 'error-text', text: 'connector: ' + s.connector_error }));
  const drifted = condition(s, 'Drifted');
  if (drifted && drifted.status === 'True') errors.push(el('span', { class: 'error-text drifted', text: 'drifted: ' + drifted.message }));
  for (const o of s.observe_errors || []) errors.push(el('span', { class: 'step', text: 'not observed: ' + o }));
  row.cells[6].replaceChildren(...(errors.length ? errors : ['—']));
  const toggle = row.querySelector('.toggle');
  const paused = p.desired_state === 'stopped';
  toggle.textContent = paused ? 'Resume' : 'Pause';
  toggle.setAttribute('aria-label', (paused ? 'Resume ' : 'Pause ') + p.name);
  const deleting = s.phase === 'deleting' || state.deleting.has(p.id);
  toggle.disabled = deleting;
  row.querySelector('.delete').disabled = deleting;
}

/** The agent's judgement of a pipeline (status.conditions), one type of it. */
function condition(s, type) {
  return (s.conditions || []).find((c) => c.type === type);
}

function bytes(n) {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  return (n / 1024 / 1024).toFixed(1) + ' MiB';
}

function ago(iso) {
  const t = new Date(iso);
  const s = Math.max(0, Math.round((Date.now() - t.getTime()) / 1000));
  const when = s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  return t.toLocaleTimeString() + ' (' + when + ')';
}

function notice(text) {
  $('notice').textContent = text;
}

async function setDesiredState(id, desired) {
  try {
    await api('PATCH', '/v1/pipelines/' + encodeURIComponent(id), { desired_state: desired }, 'application/merge-patch+json');
    notice(desired === 'stopped' ? 'Pausing: the connector stops; the slot keeps its place.' : 'Resuming.');
  } catch (e) {
    notice('');
    $('form-error').textContent = '';
    $('refreshed').textContent = problemText(e.body || { message: e.message });
  }
  refresh();
}

function confirmDelete(id, name, opener) {
  state.confirming = { id, name, opener };
  $('confirm-name').textContent = name;
  $('confirm-delete').showModal();
}

async function deleteConfirmed() {
  const { id, name } = state.confirming;
  $('confirm-delete').close();
  try {
    await api('DELETE', '/v1/pipelines/' + encodeURIComponent(id));
    state.deleting.set(id, name);
    notice(`Deleting ${name}: tearing down in reverse order…`);
  } catch (e) {
    notice('');
    $('refreshed').textContent = problemText(e.body || { message: e.message });
  }
  refresh();
}

// ---- the create form -----------------------------------------------------------------------

async function loadServices() {
  const { services } = await api('GET', '/v1/services');
  fill($('source'), services.filter((s) => s.kind === 'postgresql'));
  fill($('sink'), services.filter((s) => s.kind === 'kafka'));
  await loadTables();
}

function fill(select, services) {
  const previous = select.value;
  select.replaceChildren(...services.map((s) => el('option', { value: s.id, text: `${s.name} (${s.id})` })));
  if (services.some((s) => s.id === previous)) select.value = previous;
}

async function loadTables() {
  const source = $('source').value;
  const list = $('table-list');
  const checked = new Set([...list.querySelectorAll('input:checked')].map((i) => i.value));
  if (!source) {
    list.replaceChildren();
    $('tables-status').textContent = 'No PostgreSQL source is registered.';
    return;
  }
  $('tables-status').textContent = 'Loading tables…';
  try {
    const { tables } = await api('GET', '/v1/services/' + encodeURIComponent(source) + '/tables');
    list.replaceChildren(...tables.map((t, i) => {
      const box = el('input', { type: 'checkbox', id: 'table-' + i, name: 'tables', value: t.qualified_name });
      box.disabled = !t.capturable;
      if (checked.has(t.qualified_name) && t.capturable) box.checked = true;
      const why = !t.capturable ? 'not capturable: ' + (t.has_primary_key ? t.hint : 'no primary key')
        : t.captured_by.length ? 'captured by ' + t.captured_by.join(', ') : null;
      const label = el('label', { for: 'table-' + i }, box,
        el('span', {}, t.qualified_name, why ? el('span', { class: 'why', text: why }) : null));
      if (!t.capturable) label.title = t.hint;
      return el('li', { class: t.capturable ? 'capturable' : 'not-capturable' }, label);
    }));
    $('tables-status').textContent = tables.length ? 'Pick the tables to capture.' : 'This source has no tables.';
  } catch (e) {
    list.replaceChildren();
    $('tables-status').textContent = problemText(e.body || { message: e.message });
  }
}

async function create(event) {
  event.preventDefault();
  clearErrors();
  const spec = {
    name: $('name').value.trim(),
    pipeline_type: 'cdc_pg_to_kafka',
    source_service_id: $('source').value,
    sink_service_id: $('sink').value,
    config: {
      tables: [...document.querySelectorAll('#table-list input:checked')].map((i) => i.value),
      topic_prefix: $('topic-prefix').value.trim(),
    },
  };
  $('create').disabled = true;
  try {
    const p = await api('POST', '/v1/pipelines', spec);
    notice(`Created ${p.name} (${p.id}); the agent is provisioning it.`);
    $('create-form').reset();
    await loadServices();
    refresh();
  } catch (e) {
    showProblems(e instanceof ApiError ? (e.body.problems || [e.body]) : [{ message: e.message }]);
  } finally {
    $('create').disabled = false;
  }
}

function fieldId(field) {
  if (!field) return null;
  return FIELD_IDS[field] || FIELD_IDS[field.replace(/\[\d+\]$/, '')] || null;
}

function showProblems(problems) {
  let first = null;
  for (const p of problems) {
    const id = fieldId(p.field);
    showFieldError(id || 'form', p, true);
    if (id && !first) first = id;
  }
  const target = first === 'tables' ? document.querySelector('#table-list input:not(:disabled)') : first && $(first);
  (target || $('name')).focus();
}

function showFieldError(id, problem, append = false) {
  const out = $(id + '-error');
  const input = $(id);
  if (!problem) {
    out.replaceChildren();
    if (input) input.removeAttribute('aria-invalid');
    return;
  }
  const line = el('span', { class: 'problem' }, problem.message || '');
  if (problem.hint) line.append(el('span', { class: 'hint', text: problem.hint }));
  if (append && out.childNodes.length) out.append(el('br'));
  out.append(line);
  if (input) input.setAttribute('aria-invalid', 'true');
}

function clearErrors() {
  for (const id of ['form', 'name', 'topic-prefix', 'source', 'sink', 'tables']) showFieldError(id, null);
}

function problemText(p) {
  return (p.message || 'failed') + (p.hint ? ' — ' + p.hint : '');
}

// ---- wiring ---------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('create-form').addEventListener('submit', create);
  $('source').addEventListener('change', loadTables);
  $('confirm-cancel').addEventListener('click', () => $('confirm-delete').close());
  $('confirm-delete-button').addEventListener('click', deleteConfirmed);
  $('confirm-delete').addEventListener('close', () => {
    if (state.confirming && state.confirming.opener.isConnected) state.confirming.opener.focus();
  });
  if (state.token) showApp().catch(() => signOut('Sign in again.')); else $('token').focus();
});
