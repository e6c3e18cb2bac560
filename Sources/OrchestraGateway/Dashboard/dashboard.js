// AI Orchestra dashboard: a single page over the gateway's REST API and live event streams.
// No libraries and no build step. Every URL is relative to the page (served at `<prefix>/dashboard`),
// so it works behind a path prefix. The API key, when the gateway asks for one (401), is kept in
// sessionStorage and sent as X-API-Key, the event streams included (read with fetch, since
// EventSource cannot send headers).
'use strict';
(() => {
  const KEY_STORAGE = 'orchestra.apiKey';
  const STATES = ['pending', 'running', 'completed', 'failed', 'partial'];
  const TERMINAL = new Set(['completed', 'failed', 'partial', 'cancelled']);
  const main = document.getElementById('main');
  const live = document.getElementById('live');
  /** A workflow request the JSON editor opens with ("Edit as new"). */
  let draft = null;

  // ---------------------------------------------------------------- DOM helpers

  function build(namespace, tag, attributes, children) {
    const element = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
      else if (name === 'text') element.textContent = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      element.append(child instanceof Node ? child : String(child));
    }
    return element;
  }
  /** Replaces `element`'s children (nested arrays flattened; null, undefined and false left out). */
  const fill = (element, ...children) =>
    element.replaceChildren(...children.flat(Infinity).filter((child) => child !== undefined && child !== null && child !== false));
  const h = (tag, attributes, ...children) => build(null, tag, attributes, children);
  const svg = (tag, attributes, ...children) => build('http://www.w3.org/2000/svg', tag, attributes, children);

  const number = (value) => (typeof value === 'number' ? value.toLocaleString('en-US') : '—');
  const badge = (state) => h('span', { class: `badge ${state}`, 'data-testid': 'badge' }, state);
  function time(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
  }
  /** `3 s ago`, against the server's clock (`offset` = server − browser, ms). */
  function ago(iso, offset = 0) {
    const seconds = Math.round((Date.now() + offset - Date.parse(iso)) / 1000);
    if (!Number.isFinite(seconds)) return '—';
    return seconds < 90 ? `${Math.max(0, seconds)} s ago` : `${Math.round(seconds / 60)} min ago`;
  }
  function duration(startIso, endIso) {
    if (!startIso) return '—';
    const ms = (endIso ? Date.parse(endIso) : Date.now()) - Date.parse(startIso);
    if (!(ms >= 0)) return '—';
    if (ms < 1000) return `${ms} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
  }
  const sleep = (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  /** Calls `fn` at most once per `ms`, the last call winning. */
  function throttle(fn, ms) {
    let timer = null;
    return () => {
      if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, ms);
    };
  }
  /** Runs `fn` now and every `ms` until `signal` aborts. */
  async function every(ms, fn, signal) {
    while (!signal.aborted) {
      await fn();
      await sleep(ms, signal);
    }
  }

  function setLive(state, text) {
    live.className = `live ${state}`;
    live.textContent = text;
  }

  // ---------------------------------------------------------------- API and key

  let keyPrompt = null;
  const currentKey = () => sessionStorage.getItem(KEY_STORAGE) || '';

  /** Shows the key dialog once for every caller waiting on it; resolves when a key is given. */
  function askForKey(rejected) {
    keyPrompt ??= new Promise((resolve) => {
      const dialog = document.getElementById('key-dialog');
      const form = document.getElementById('key-form');
      const input = document.getElementById('key-input');
      document.getElementById('key-message').textContent = rejected
        ? 'That key was not accepted. Enter the gateway\u2019s API key (kept in this tab only).'
        : 'This gateway requires an API key. It is kept in this tab only (sessionStorage).';
      input.value = '';
      dialog.addEventListener('cancel', (event) => event.preventDefault());
      form.onsubmit = (event) => {
        const key = input.value.trim();
        if (!key) { event.preventDefault(); return; }
        sessionStorage.setItem(KEY_STORAGE, key);
        form.onsubmit = null;
        keyPrompt = null;
        resolve(key);
      };
      dialog.showModal();
      input.focus();
    });
    return keyPrompt;
  }

  /** After a 401 on a request sent with `used`: asks for a (new) key unless one arrived meanwhile. */
  async function unauthorized(used) {
    if (currentKey() !== used) return;
    if (used) sessionStorage.removeItem(KEY_STORAGE);
    await askForKey(Boolean(used));
  }

  /** One API call; `{status, ok, headers, json, text}`. Throws only when the gateway cannot be reached. */
  async function api(path, { method = 'GET', body, signal } = {}) {
    for (;;) {
      const used = currentKey();
      const headers = { Accept: 'application/json' };
      if (used) headers['X-API-Key'] = used;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(path, {
        method, headers, signal, cache: 'no-store',
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      if (response.status === 401) { await unauthorized(used); continue; }
      const text = await response.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { json = null; }
      return { status: response.status, ok: response.ok, headers: response.headers, json, text };
    }
  }

  /** The message of an error body (`detail` as text or as a list of issues). */
  function detailText(result) {
    const detail = result.json?.detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) return detail.map((issue) => `${(issue.loc || []).join(' → ')}: ${issue.msg}`).join('; ');
    return `HTTP ${result.status}`;
  }

  /**
   * Reads a Server-Sent Events stream with fetch (so X-API-Key can be sent), reconnecting with
   * Last-Event-ID after a drop until `signal` aborts, the stream ends after a terminal event, or
   * the resource is gone (404). `onEvents` gets each chunk's events at once.
   */
  async function streamEvents(path, { signal, onEvents, isFinal = () => false, onGone }) {
    let last = null;
    let retry = 1000;
    while (!signal.aborted) {
      let finished = false;
      try {
        const used = currentKey();
        const headers = { Accept: 'text/event-stream' };
        if (used) headers['X-API-Key'] = used;
        if (last) headers['Last-Event-ID'] = last;
        const response = await fetch(path, { headers, signal, cache: 'no-store' });
        if (response.status === 401) { await unauthorized(used); continue; }
        if (response.status === 404) { onGone?.(); return; }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        setLive('on', 'live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let data = [];
        let type = '';
        let id = null;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const lines = buffer.split('\n');
          buffer = lines.pop();
          const events = [];
          for (const raw of lines) {
            const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
            if (line === '') {
              if (id !== null) last = id;
              if (data.length) {
                try {
                  const event = JSON.parse(data.join('\n'));
                  events.push({ id, type: type || event.type, data: event });
                } catch { /* not JSON: not one of ours */ }
              }
              data = []; type = ''; id = null;
              continue;
            }
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let content = colon < 0 ? '' : line.slice(colon + 1);
            if (content.startsWith(' ')) content = content.slice(1);
            if (field === 'data') data.push(content);
            else if (field === 'event') type = content;
            else if (field === 'id') id = content;
            else if (field === 'retry' && /^\d+$/.test(content)) retry = Math.min(Number(content), 10000);
          }
          if (events.length) {
            onEvents(events);
            if (events.some((event) => isFinal(event))) finished = true;
          }
        }
      } catch (error) {
        if (signal.aborted) return;
      }
      if (finished || signal.aborted) return;
      setLive('off', 'reconnecting…');
      await sleep(retry, signal);
    }
  }

  function confirmAction(title, message) {
    return new Promise((resolve) => {
      const dialog = document.getElementById('confirm-dialog');
      document.getElementById('confirm-title').textContent = title;
      document.getElementById('confirm-message').textContent = message;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
      dialog.querySelector('[value="cancel"]').focus();
    });
  }

  // ---------------------------------------------------------------- Overview

  function overview(signal) {
    document.title = 'Overview · AI Orchestra';
    const counts = h('div', { class: 'cards', 'data-testid': 'workflow-counts' });
    const queues = h('div', { class: 'scroll' });
    const workers = h('div', { class: 'scroll' });
    const usage = h('div', { class: 'scroll' });
    const chart = h('div', { class: 'chart', 'data-testid': 'completions-chart' });
    const problem = h('div', { role: 'alert' });
    main.append(
      h('h1', {}, 'Overview'),
      problem,
      h('div', { class: 'grid' },
        h('section', { class: 'panel', 'aria-labelledby': 'ov-wf' }, h('h2', { id: 'ov-wf' }, 'Workflows by status'), counts),
        h('section', { class: 'panel', 'aria-labelledby': 'ov-q' }, h('h2', { id: 'ov-q' }, 'Tasks per shard'), queues),
        h('section', { class: 'panel', 'aria-labelledby': 'ov-w' }, h('h2', { id: 'ov-w' }, 'Workers'), workers),
        h('section', { class: 'panel', 'aria-labelledby': 'ov-c' }, h('h2', { id: 'ov-c' }, 'Completions per minute'), chart),
        h('section', { class: 'panel', 'aria-labelledby': 'ov-u' }, h('h2', { id: 'ov-u' }, 'Tokens and calls by model'), usage)));

    const minutes = new Map(); // epoch minute -> {tasks, workflows}
    let serverOffset = 0;

    function renderCounts(stats) {
      const byStatus = stats.workflows || {};
      fill(counts,
        ...STATES.map((state) =>
          h('div', { class: `card ${state}` },
            h('span', { class: 'n', 'data-testid': `count-${state}` }, number(byStatus[state] ?? 0)),
            h('span', { class: 'l' }, state))),
        h('div', { class: 'card running' },
          h('span', { class: 'n', 'data-testid': 'count-active' }, number(stats.active_workflows)),
          h('span', { class: 'l' }, 'active')));
    }

    function renderQueues(stats) {
      const cell = (shard, name, value) => h('td', { class: 'num', 'data-testid': `queue-${shard}-${name}` }, number(value));
      fill(queues,
        h('table', {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'shard'), ['ready', 'running', 'delayed'].map((name) =>
            h('th', { scope: 'col', class: 'num' }, name)))),
          h('tbody', {}, (stats.shards || []).map((shard) =>
            h('tr', {}, h('th', { scope: 'row' }, String(shard.shard)),
              cell(shard.shard, 'ready', shard.ready), cell(shard.shard, 'running', shard.running),
              cell(shard.shard, 'delayed', shard.delayed)))),
          h('tfoot', {}, h('tr', {}, h('td', {}, 'total'), cell('total', 'ready', stats.totals?.ready),
            cell('total', 'running', stats.totals?.running), cell('total', 'delayed', stats.totals?.delayed)))));
    }

    function renderWorkers(list) {
      const inFlight = list.reduce((sum, worker) => sum + (worker.in_flight || 0), 0);
      fill(workers,
        h('p', {}, h('strong', { 'data-testid': 'workers-alive' }, String(list.length)), ' alive, ',
          h('strong', { 'data-testid': 'workers-in-flight' }, String(inFlight)), ' tasks in flight'),
        list.length === 0 ? h('p', { class: 'muted' }, 'No worker has reported in the last 15 s.') :
          h('table', {},
            h('thead', {}, h('tr', {}, ['worker', 'in flight', 'state', 'last seen'].map((name, index) =>
              h('th', { scope: 'col', class: index === 1 ? 'num' : undefined }, name)))),
            h('tbody', {}, list.map((worker) =>
              h('tr', { 'data-testid': 'worker-row', 'data-worker-id': worker.id },
                h('td', { class: 'id', title: `${worker.id} on ${worker.host}, version ${worker.version}, up since ${time(worker.started_at)}` }, worker.id),
                h('td', { class: 'num', 'data-testid': 'worker-in-flight' }, `${worker.in_flight} / ${worker.concurrency}`),
                h('td', {}, worker.draining ? badge('draining') : h('span', { class: 'badge running' }, 'serving')),
                h('td', { title: time(worker.last_seen_at) }, ago(worker.last_seen_at, serverOffset)))))));
    }

    function renderUsage(report) {
      const models = report.models || [];
      const row = (label, counts, testid) =>
        h('tr', { 'data-testid': testid },
          label,
          ['calls', 'prompt_tokens', 'completion_tokens', 'total_tokens'].map((name) => h('td', { class: 'num' }, number(counts[name]))));
      fill(usage,
        models.length === 0 ? h('p', { class: 'muted' }, 'No completed calls yet.') :
          h('table', {},
            h('thead', {}, h('tr', {}, ['provider / model', 'calls', 'prompt', 'output', 'total'].map((name, index) =>
              h('th', { scope: 'col', class: index ? 'num' : undefined }, name)))),
            h('tbody', {}, models.map((model) => row(h('td', {}, `${model.provider} / ${model.model}`), model, 'usage-row'))),
            h('tfoot', {}, row(h('td', {}, 'total'), report.totals || {}, 'usage-total'))));
    }

    function renderChart() {
      const width = 320;
      const height = 120;
      const span = 30;
      const now = Math.floor((Date.now() + serverOffset) / 60000);
      const values = [];
      for (let minute = now - span + 1; minute <= now; minute++) values.push({ minute, ...(minutes.get(minute) || { tasks: 0, workflows: 0 }) });
      const top = Math.max(1, ...values.map((value) => value.tasks));
      const total = values.reduce((sum, value) => sum + value.tasks, 0);
      const workflows = values.reduce((sum, value) => sum + value.workflows, 0);
      const plotTop = 12;
      const plotBottom = height - 16;
      const step = (width - 30) / span;
      fill(chart,
        svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
          'aria-label': `Tasks completed per minute over the last ${span} minutes: ${total} in all, ${values[span - 1].tasks} this minute.` },
        svg('line', { class: 'axis', x1: 28, y1: plotBottom, x2: width, y2: plotBottom }),
        svg('text', { x: 0, y: plotTop + 4 }, String(top)),
        svg('text', { x: 0, y: plotBottom }, '0'),
        svg('text', { x: 30, y: height - 2 }, `−${span} min`),
        svg('text', { x: width - 22, y: height - 2 }, 'now'),
        values.map((value, index) => {
          const barHeight = ((plotBottom - plotTop) * value.tasks) / top;
          return svg('rect', { class: 'bar', x: 30 + index * step + 1, y: plotBottom - barHeight, width: Math.max(1, step - 2), height: barHeight },
            svg('title', {}, `${new Date(value.minute * 60000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${value.tasks} tasks, ${value.workflows} workflows`));
        })),
        h('p', { class: 'muted' }, h('span', { 'data-testid': 'completions-total' }, String(total)), ` tasks and ${workflows} workflows finished in the last ${span} minutes (from the cluster event stream).`));
    }

    async function refresh() {
      try {
        const [stats, workerList, report] = await Promise.all([api('queues', { signal }), api('workers', { signal }), api('usage', { signal })]);
        if (signal.aborted) return;
        if (!stats.ok) throw new Error(detailText(stats));
        serverOffset = Date.parse(stats.json.timestamp) - Date.now() || 0;
        renderCounts(stats.json);
        renderQueues(stats.json);
        if (workerList.ok) renderWorkers(workerList.json.workers || []);
        if (report.ok) renderUsage(report.json);
        renderChart();
        fill(problem);
      } catch (error) {
        if (signal.aborted) return;
        fill(problem, h('p', { class: 'notice error' }, `Cannot read the cluster's state: ${error.message}`));
        setLive('off', 'gateway unreachable');
      }
    }
    const soon = throttle(refresh, 400);
    renderChart();
    every(2000, refresh, signal);
    streamEvents('events', {
      signal,
      onEvents(events) {
        for (const { data } of events) {
          const finishedTask = data.type === 'task.completed' || data.type === 'task.failed';
          const finishedWorkflow = TERMINAL.has(data.type.replace('workflow.', '')) && data.type.startsWith('workflow.');
          if (!finishedTask && !finishedWorkflow) continue;
          const minute = Math.floor(Date.parse(data.timestamp) / 60000);
          const entry = minutes.get(minute) || { tasks: 0, workflows: 0 };
          if (data.type === 'task.completed') entry.tasks += 1;
          if (finishedWorkflow) entry.workflows += 1;
          minutes.set(minute, entry);
        }
        renderChart();
        soon();
      },
    });
  }

  // ---------------------------------------------------------------- Workflows list

  function workflowList(signal, query) {
    document.title = 'Workflows · AI Orchestra';
    const pageSize = 20;
    let status = STATES.includes(query.get('status')) ? query.get('status') : '';
    let cursors = [null];
    let next = null;
    let rows = [];
    const statusSelect = h('select', { id: 'wf-status', 'data-testid': 'status-filter' },
      h('option', { value: '' }, 'any'), STATES.map((state) => h('option', { value: state, selected: state === status }, state)));
    const search = h('input', { id: 'wf-search', type: 'search', placeholder: 'workflow id', 'data-testid': 'search', autocomplete: 'off' });
    const message = h('div', { role: 'status' });
    const body = h('tbody');
    const previous = h('button', { type: 'button', onclick: () => { cursors.pop(); load(); } }, '← Newer');
    const following = h('button', { type: 'button', 'data-testid': 'next-page', onclick: () => { cursors.push(next); load(); } }, 'Older →');
    const position = h('span', { class: 'muted' });
    main.append(
      h('h1', {}, 'Workflows'),
      h('form', { class: 'toolbar', role: 'search', onsubmit: (event) => { event.preventDefault(); find(); } },
        h('label', { for: 'wf-status' }, 'Status', statusSelect),
        h('label', { for: 'wf-search' }, 'Search by id', search),
        h('button', { type: 'submit' }, 'Open')),
      message,
      h('div', { class: 'panel scroll' },
        h('table', {},
          h('thead', {}, h('tr', {}, ['workflow', 'type', 'status', 'tasks', 'created', 'duration'].map((name) => h('th', { scope: 'col' }, name)))),
          body),
        h('div', { class: 'pager' }, previous, following, position)));
    statusSelect.addEventListener('change', () => {
      status = statusSelect.value;
      history.replaceState(null, '', status ? `#/workflows?status=${status}` : '#/workflows');
      cursors = [null];
      load();
    });
    search.addEventListener('input', render);

    let shownRows = null;
    function render() {
      const needle = search.value.trim().toLowerCase();
      const shown = needle ? rows.filter((row) => row.workflow_id.toLowerCase().includes(needle)) : rows;
      previous.disabled = cursors.length <= 1;
      following.disabled = !next;
      position.textContent = `page ${cursors.length}`;
      // An unchanged page is left alone, so keyboard focus on a row's link survives a refresh.
      const signature = JSON.stringify([needle, shown.map((workflow) => [workflow.workflow_id, workflow.status, workflow.completed_at,
        workflow.tasks.map((task) => task.status)])]);
      if (signature === shownRows) return;
      shownRows = signature;
      fill(body, ...shown.map((workflow) => {
        const done = workflow.tasks.filter((task) => task.status === 'completed').length;
        return h('tr', { 'data-testid': 'workflow-row', 'data-id': workflow.workflow_id, 'data-status': workflow.status },
          h('td', { class: 'id' }, h('a', { href: `#/workflows/${encodeURIComponent(workflow.workflow_id)}`, title: workflow.workflow_id }, workflow.workflow_id)),
          h('td', {}, workflow.workflow_type),
          h('td', {}, badge(workflow.status)),
          h('td', { class: 'num' }, `${done} / ${workflow.tasks.length}`),
          h('td', {}, time(workflow.created_at)),
          h('td', {}, duration(workflow.started_at, workflow.completed_at)));
      }));
      if (shown.length === 0) body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, needle ? 'No workflow on this page matches; press Open to look the id up.' : 'No workflows.')));
    }

    async function load() {
      const cursor = cursors[cursors.length - 1];
      let path = `workflows?limit=${pageSize}`;
      if (status) path += `&status=${status}`;
      if (cursor) path += `&cursor=${encodeURIComponent(cursor)}`;
      try {
        const result = await api(path, { signal });
        if (signal.aborted) return;
        if (!result.ok) { fill(message, h('p', { class: 'notice error' }, detailText(result))); return; }
        rows = result.json;
        next = result.headers.get('X-Next-Cursor');
        fill(message);
        render();
      } catch (error) {
        if (!signal.aborted) fill(message, h('p', { class: 'notice error' }, `Cannot list workflows: ${error.message}`));
      }
    }

    async function find() {
      const id = search.value.trim();
      if (!id) return;
      const result = await api(`status/${encodeURIComponent(id)}`, { signal });
      if (result.ok) location.hash = `#/workflows/${encodeURIComponent(id)}`;
      else fill(message, h('p', { class: 'notice error', 'data-testid': 'search-message' },
        result.status === 404 ? `No workflow has the id ${id}.` : detailText(result)));
    }

    const soon = throttle(load, 500);
    every(10000, load, signal);
    streamEvents('events', { signal, onEvents: soon });
  }

  // ---------------------------------------------------------------- One workflow

  function workflowView(signal, id) {
    document.title = `Workflow ${id} · AI Orchestra`;
    const state = {
      status: null, request: null, eventState: new Map(), tokens: new Map(), workers: new Map(),
      selected: null, cancelled: false, gone: false, layoutKey: '',
    };
    const head = h('div', { class: 'wf-head' });
    const notices = h('div', { role: 'status' });
    const dag = h('div', { class: 'dag', 'data-testid': 'dag' });
    const details = h('section', { class: 'panel', 'aria-labelledby': 'detail-title', 'data-testid': 'details' });
    main.append(
      h('h1', {}, 'Workflow ', h('span', { 'data-testid': 'workflow-id' }, id)),
      head, notices,
      h('div', { class: 'layout' },
        h('section', { class: 'panel', 'aria-label': 'Task graph' }, dag,
          h('div', { class: 'legend' }, ['pending', 'running', 'completed', 'failed'].map((name) => h('span', { class: name }, name)))),
        details));
    let answerElement = null;
    let nodes = new Map();

    const taskState = (task) => {
      const fromEvents = state.eventState.get(task.task_id);
      if (!fromEvents) return task.status;
      // A finished task cannot go back: the status read wins when the events missed its end.
      if ((task.status === 'completed' || task.status === 'failed') && fromEvents !== task.status) return task.status;
      return fromEvents;
    };
    const workflowState = () => (state.cancelled ? 'cancelled' : state.status?.status || 'pending');

    async function load() {
      try {
        const [status, request] = await Promise.all([
          api(`status/${encodeURIComponent(id)}`, { signal }),
          state.request && !state.needRequest ? null : api(`workflows/${encodeURIComponent(id)}/request`, { signal }),
        ]);
        if (signal.aborted) return;
        if (status.status === 404) {
          state.gone = true;
          if (!state.cancelled) fill(notices, h('p', { class: 'notice error', 'data-testid': 'not-found' },
            `Workflow ${id} does not exist (never submitted, deleted, or expired).`));
          renderHead();
          return;
        }
        if (!status.ok) throw new Error(detailText(status));
        state.status = status.json;
        if (request?.ok) { state.request = request.json; state.needRequest = false; }
        render();
      } catch (error) {
        if (!signal.aborted) fill(notices, h('p', { class: 'notice error' }, `Cannot read the workflow: ${error.message}`));
      }
    }
    const soon = throttle(load, 250);

    function render() {
      renderHead();
      renderGraph();
      renderDetails();
    }

    // The header's parts are made once and updated in place, so keyboard focus on a button survives updates.
    const headStatus = h('span', { 'data-testid': 'workflow-status' });
    const headSummary = h('span', { class: 'muted' });
    const buttons = {
      cancel: h('button', { type: 'button', class: 'danger', 'data-testid': 'cancel', onclick: () => cancel() }, 'Cancel'),
      resubmit: h('button', { type: 'button', 'data-testid': 'resubmit', onclick: () => resubmit() }, 'Re-submit as new'),
      edit: h('button', { type: 'button', 'data-testid': 'edit', onclick: () => editAsNew() }, 'Edit as new'),
      download: h('button', { type: 'button', 'data-testid': 'download', onclick: () => download() }, 'Download JSON'),
    };
    head.append(headStatus, headSummary, h('span', { class: 'actions' }, Object.values(buttons)));

    function renderHead() {
      const status = state.status;
      const current = workflowState();
      const tasks = status?.tasks || [];
      const done = tasks.filter((task) => taskState(task) === 'completed').length;
      if (headStatus.dataset.state !== current) {
        headStatus.dataset.state = current;
        fill(headStatus, badge(current));
      }
      const parts = status ? [`${status.workflow_type}`, `${done} of ${tasks.length} tasks done`, `created ${time(status.created_at)}`,
        duration(status.started_at, status.completed_at)] : [];
      if (status?.usage) parts.push(`${number(status.usage.total_tokens)} tokens`);
      if (status?.metadata && Object.keys(status.metadata).length) parts.push(`metadata: ${Object.keys(status.metadata).join(', ')}`);
      headSummary.textContent = parts.join(' · ');
      buttons.cancel.disabled = TERMINAL.has(current) || state.gone;
      buttons.resubmit.disabled = !state.request;
      buttons.edit.disabled = !state.request;
      buttons.download.disabled = !status;
      if (status?.error && !notices.querySelector('[data-testid="workflow-error"]')) {
        notices.append(h('p', { class: 'notice error', 'data-testid': 'workflow-error' }, status.error));
      }
    }

    /** The task ids each task waits for: `depends_on`, or the previous task of a sequential workflow. */
    function dependencies(tasks) {
      const byAgent = new Map(tasks.map((task) => [task.agent_id, task.task_id]));
      const added = new Set((state.request?.added_tasks || []).map((task) => task.agent_id));
      return tasks.map((task, index) => {
        if (task.depends_on?.length) return task.depends_on.map((agent) => byAgent.get(agent)).filter(Boolean);
        if (state.status.workflow_type === 'sequential' && index > 0 && !added.has(task.agent_id)) return [tasks[index - 1].task_id];
        return [];
      });
    }

    function renderGraph() {
      const tasks = state.status?.tasks || [];
      const key = tasks.map((task) => `${task.task_id}<${(task.depends_on || []).join(',')}`).join('|') + (state.request ? '+' : '');
      if (key !== state.layoutKey) {
        state.layoutKey = key;
        layout(tasks);
      }
      for (const task of tasks) {
        const node = nodes.get(task.task_id);
        if (!node) continue;
        const current = taskState(task);
        if (node.getAttribute('data-state') !== current) node.setAttribute('data-state', current);
        node.setAttribute('aria-label', `${task.agent_id}, ${task.agent_role}: ${current}`);
        node.setAttribute('aria-pressed', String(state.selected === task.task_id));
      }
    }

    function layout(tasks) {
      const width = 170;
      const height = 48;
      const gapX = 70;
      const gapY = 18;
      const pad = 12;
      const deps = dependencies(tasks);
      const indexOf = new Map(tasks.map((task, index) => [task.task_id, index]));
      const layer = new Array(tasks.length).fill(-1);
      const visiting = new Set();
      const depth = (index) => {
        if (layer[index] >= 0) return layer[index];
        if (visiting.has(index)) return 0;
        visiting.add(index);
        let value = 0;
        for (const dep of deps[index]) value = Math.max(value, depth(indexOf.get(dep)) + 1);
        visiting.delete(index);
        layer[index] = value;
        return value;
      };
      tasks.forEach((_, index) => depth(index));
      const layers = [];
      tasks.forEach((_, index) => (layers[layer[index]] ??= []).push(index));
      const row = new Array(tasks.length).fill(0);
      layers.forEach((members, column) => {
        if (column > 0) {
          // Barycentre ordering: each task near the average row of its inputs, fewer crossings.
          const weight = (index) => {
            const rows = deps[index].map((dep) => row[indexOf.get(dep)]);
            return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : index;
          };
          members.sort((a, b) => weight(a) - weight(b) || a - b);
        }
        members.forEach((index, position) => (row[index] = position));
      });
      const tallest = Math.max(1, ...layers.map((members) => members.length));
      const x = (index) => pad + layer[index] * (width + gapX);
      const y = (index) => pad + ((tallest - layers[layer[index]].length) * (height + gapY)) / 2 + row[index] * (height + gapY);
      const totalWidth = pad * 2 + Math.max(1, layers.length) * (width + gapX) - gapX;
      const totalHeight = pad * 2 + tallest * (height + gapY) - gapY;
      const added = new Set((state.request?.added_tasks || []).map((task) => task.agent_id));
      const edges = [];
      tasks.forEach((task, index) => {
        for (const dep of deps[index]) {
          const from = indexOf.get(dep);
          const x1 = x(from) + width;
          const y1 = y(from) + height / 2;
          const x2 = x(index) - 4;
          const y2 = y(index) + height / 2;
          const bend = Math.max(24, (x2 - x1) / 2);
          edges.push(svg('path', {
            class: added.has(task.agent_id) ? 'edge delegated' : 'edge', 'marker-end': 'url(#arrow)',
            'data-from': dep, 'data-to': task.task_id,
            d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
          }));
        }
      });
      nodes = new Map();
      const shorten = (text, length) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);
      const boxes = tasks.map((task, index) => {
        const node = svg('g', {
          class: 'node', tabindex: 0, role: 'button', 'data-testid': 'node', 'data-task-id': task.task_id,
          'data-agent-id': task.agent_id, 'data-state': taskState(task), transform: `translate(${x(index)},${y(index)})`,
          onclick: () => select(task.task_id),
          onkeydown: (event) => {
            if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(task.task_id); }
          },
        },
        svg('title', {}, `${task.agent_id} (${task.agent_role})`),
        svg('rect', { width, height, rx: 8 }),
        svg('rect', { class: 'bar', width: 6, height: height - 8, x: 4, y: 4, rx: 3 }),
        svg('text', { x: 16, y: 20 }, shorten(task.agent_id, 20)),
        svg('text', { x: 16, y: 37, class: 'role' }, shorten(task.agent_role + (added.has(task.agent_id) ? ' · delegated' : ''), 24)));
        nodes.set(task.task_id, node);
        return node;
      });
      fill(dag,
        svg('svg', { width: totalWidth, height: totalHeight, viewBox: `0 0 ${totalWidth} ${totalHeight}`, role: 'group', 'aria-label': 'Tasks and their dependencies' },
          svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
            svg('path', { d: 'M0,0 L10,5 L0,10 z' }))),
          edges, boxes));
    }

    function select(taskId) {
      state.selected = state.selected === taskId ? null : taskId;
      renderGraph();
      renderDetails();
    }

    let shownDetails = null;
    function renderDetails() {
      const tasks = state.status?.tasks || [];
      const task = tasks.find((candidate) => candidate.task_id === state.selected);
      // Unchanged details are left as they are (open <details>, focus and selection survive).
      const signature = JSON.stringify([task, task && taskState(task), tasks.length,
        task && dependencies(tasks)[tasks.indexOf(task)].map((dep) => tasks.find((candidate) => candidate.task_id === dep)?.status),
        state.workers.get(state.selected), Boolean(state.request)]);
      if (signature === shownDetails) return;
      shownDetails = signature;
      answerElement = null;
      if (!task) {
        fill(details, h('h2', { id: 'detail-title' }, 'Task details'),
          h('p', { class: 'muted' }, tasks.length ? 'Select a task in the graph (click, or Tab then Enter) to see its instruction, inputs, answer and timings.' : 'Loading…'));
        return;
      }
      const current = taskState(task);
      const submitted = [...(state.request?.tasks || []), ...(state.request?.added_tasks || [])].find((candidate) => candidate.agent_id === task.agent_id);
      const input = submitted?.input_data || task.result?.input || {};
      const { task: instruction, ...structured } = input;
      const deps = dependencies(tasks)[tasks.indexOf(task)];
      const usage = task.usage || task.result?.usage;
      const options = ['llm_model', 'temperature', 'max_tokens', 'timeout_s', 'max_attempts', 'delegate', 'system_prompt']
        .filter((name) => submitted?.[name] !== undefined).map((name) => `${name}: ${JSON.stringify(submitted[name])}`);
      const live = state.workers.get(task.task_id);
      const fact = (label, value, testid) => [h('dt', {}, label), h('dd', { 'data-testid': testid }, value)];
      const answerText = current === 'completed' ? (task.result?.output?.message ?? '') : (state.tokens.get(task.task_id) || '');
      answerElement = h('pre', { class: current === 'running' ? 'answer streaming' : 'answer', 'data-testid': 'answer', 'aria-live': 'off' }, answerText);
      fill(details,
        h('h2', { id: 'detail-title' }, task.agent_id, ' ', badge(current)),
        h('dl', { class: 'facts' },
          fact('role', task.agent_role, 'detail-role'),
          fact('task id', task.task_id),
          submitted?.added_by ? fact('added by', submitted.added_by) : null,
          // The event stream can be ahead of the last status read: take the later of the two.
          fact('attempts', String(Math.max(task.attempts ?? 0, live?.attempt ?? 0)), 'detail-attempts'),
          fact('worker', task.worker_id || live?.worker || '—', 'detail-worker'),
          fact('started', time(task.started_at ?? live?.started)),
          fact('completed', time(task.completed_at)),
          fact('duration', duration(task.started_at ?? live?.started, task.completed_at)),
          task.provider ? fact('model', `${task.provider} / ${task.model}`) : null,
          usage ? fact('usage', `${number(usage.prompt_tokens)} prompt + ${number(usage.completion_tokens)} completion tokens`, 'detail-usage') : null,
          options.length ? fact('options', options.join(', ')) : null),
        h('h3', {}, 'Instruction'),
        h('pre', { 'data-testid': 'detail-instruction' }, instruction === undefined ? '—' : typeof instruction === 'string' ? instruction : JSON.stringify(instruction, null, 2)),
        Object.keys(structured).length ? [h('h3', {}, 'Structured input'), h('pre', {}, JSON.stringify(structured, null, 2))] : null,
        h('h3', {}, 'Inputs from dependencies'),
        deps.length === 0 ? h('p', { class: 'muted' }, 'None: it starts from its instruction alone.') :
          h('ul', { 'data-testid': 'detail-inputs' }, deps.map((dep) => {
            const source = tasks.find((candidate) => candidate.task_id === dep);
            const text = source?.result?.output?.message;
            return h('li', {}, h('details', {},
              h('summary', {}, `${source?.agent_id ?? dep} `, badge(source ? taskState(source) : 'pending')),
              h('pre', {}, text ?? 'Not available yet.')));
          })),
        h('h3', {}, current === 'running' ? 'Answer (streaming)' : 'Answer'),
        answerElement,
        task.error ? [h('h3', {}, 'Error'), h('pre', { class: 'error', 'data-testid': 'detail-error' }, task.error)] : null);
    }

    function onEvents(events) {
      let structural = false;
      for (const { data } of events) {
        const taskId = data.task_id;
        switch (data.type) {
          case 'task.queued': state.eventState.set(taskId, 'pending'); break;
          case 'task.retrying': state.eventState.set(taskId, 'pending'); break;
          case 'task.started':
            // Each attempt streams its whole answer: text of an earlier attempt is dropped.
            if (state.tokens.get(taskId)) {
              state.tokens.set(taskId, '');
              if (state.selected === taskId && answerElement) answerElement.textContent = '';
            }
            state.eventState.set(taskId, 'running');
            state.workers.set(taskId, { worker: data.worker_id, attempt: data.attempt, started: data.timestamp });
            break;
          case 'task.token': {
            state.tokens.set(taskId, (state.tokens.get(taskId) || '') + (data.delta || ''));
            if (state.selected === taskId && answerElement && state.eventState.get(taskId) !== 'completed') {
              answerElement.append(data.delta || '');
            }
            break;
          }
          case 'task.completed': state.eventState.set(taskId, 'completed'); break;
          case 'task.failed': state.eventState.set(taskId, 'failed'); break;
          case 'workflow.expanded': structural = true; break;
          case 'workflow.cancelled':
            state.cancelled = true;
            fill(notices, h('p', { class: 'notice', 'data-testid': 'cancelled-notice' },
              'This workflow was cancelled: nothing more of it runs, and its record was removed.'));
            break;
          default: break;
        }
      }
      if (structural) state.needRequest = true;
      if (state.status) { renderHead(); renderGraph(); }
      // Tokens alone need no new read; anything else does (details, timings, new tasks).
      if (events.some((event) => event.data.type !== 'task.token')) soon();
      else if (state.selected && !answerElement) renderDetails();
    }

    async function cancel() {
      const yes = await confirmAction('Cancel this workflow?', `Workflow ${id} will stop: no further task of it starts, running tasks are told to stop, and its record is removed.`);
      if (!yes) return;
      const result = await api(`workflows/${encodeURIComponent(id)}`, { method: 'DELETE', signal });
      if (result.ok) {
        state.cancelled = true;
        fill(notices, h('p', { class: 'notice', 'data-testid': 'cancelled-notice' },
          'This workflow was cancelled: nothing more of it runs, and its record was removed.'));
        renderHead();
      } else {
        fill(notices, h('p', { class: 'notice error' }, `Cancel failed: ${detailText(result)}`));
      }
    }

    function requestBody() {
      const request = state.request;
      return { workflow_type: request.workflow_type, tasks: request.tasks, metadata: request.metadata };
    }

    async function resubmit() {
      const result = await api('run-graph', { method: 'POST', body: requestBody(), signal });
      if (result.ok) location.hash = `#/workflows/${encodeURIComponent(result.json.workflow_id)}`;
      else fill(notices, h('p', { class: 'notice error' }, `Re-submit failed: ${detailText(result)}`));
    }

    function editAsNew() {
      draft = requestBody();
      location.hash = '#/submit?tab=json';
    }

    async function download() {
      const result = await api(`status/${encodeURIComponent(id)}`, { signal });
      const text = result.ok ? JSON.stringify(result.json, null, 2) : JSON.stringify(state.status, null, 2);
      const url = URL.createObjectURL(new Blob([text + '\n'], { type: 'application/json' }));
      const link = h('a', { href: url, download: `workflow-${id}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }

    renderDetails();
    load();
    streamEvents(`workflows/${encodeURIComponent(id)}/events`, {
      signal, onEvents,
      isFinal: (event) => event.data.type?.startsWith('workflow.') && TERMINAL.has(event.data.type.slice('workflow.'.length)),
      onGone: () => { state.gone = true; soon(); },
    }).then(() => { if (!signal.aborted) setLive('on', 'finished'); });
    // The event stream drives updates; a slow poll covers a stream that cannot be read at all.
    every(15000, async () => { if (!TERMINAL.has(workflowState()) && !state.gone) await load(); }, signal);
  }

  // ---------------------------------------------------------------- Submit

  /** Where each JSON path (`/`-joined) of `text` starts and ends; keys map to their member. */
  function jsonPositions(text) {
    const positions = new Map();
    let at = 0;
    const space = () => { while (at < text.length && /\s/.test(text[at])) at++; };
    const string = () => {
      const start = at++;
      while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
      at++;
      return JSON.parse(text.slice(start, at));
    };
    const value = (path) => {
      space();
      const start = at;
      if (text[at] === '{') {
        at++; space();
        while (at < text.length && text[at] !== '}') {
          space();
          const keyStart = at;
          const key = string();
          space(); at++; // :
          value([...path, key]);
          positions.set([...path, key].join('/'), [keyStart, positions.get([...path, key].join('/'))[1]]);
          space();
          if (text[at] === ',') at++;
          space();
        }
        at++;
      } else if (text[at] === '[') {
        at++; space();
        let index = 0;
        while (at < text.length && text[at] !== ']') {
          value([...path, index++]);
          space();
          if (text[at] === ',') at++;
          space();
        }
        at++;
      } else if (text[at] === '"') string();
      else while (at < text.length && !/[\s,\]}]/.test(text[at])) at++;
      positions.set(path.join('/'), [start, at]);
    };
    try { value([]); } catch { /* an unfinished document: what was read stays */ }
    return positions;
  }

  function submitView(signal, query) {
    document.title = 'Submit · AI Orchestra';
    let tab = query.get('tab') === 'json' || draft ? 'json' : 'pattern';
    const panels = { pattern: h('div', { id: 'tab-pattern', role: 'tabpanel', 'aria-labelledby': 'tab-btn-pattern' }),
      json: h('div', { id: 'tab-json', role: 'tabpanel', 'aria-labelledby': 'tab-btn-json' }) };
    const tabButton = (name, label) => h('button', {
      type: 'button', role: 'tab', id: `tab-btn-${name}`, 'aria-controls': `tab-${name}`, 'data-testid': `tab-${name}`,
      onclick: () => show(name),
      onkeydown: (event) => { if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') { event.preventDefault(); show(name === 'json' ? 'pattern' : 'json', true); } },
    }, label);
    const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'How to describe the workflow' },
      tabButton('pattern', 'From a pattern'), tabButton('json', 'JSON editor'));
    main.append(h('h1', {}, 'Submit a workflow'), tabs, h('div', { class: 'panel' }, panels.pattern, panels.json));

    function show(name, focus) {
      tab = name;
      for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
      for (const button of tabs.children) {
        const selected = button.id === `tab-btn-${name}`;
        button.setAttribute('aria-selected', String(selected));
        button.tabIndex = selected ? 0 : -1;
        if (selected && focus) button.focus();
      }
    }
    show(tab);

    // A form per pattern, from GET /patterns.
    const patternSelect = h('select', { id: 'pattern', 'data-testid': 'pattern-select' });
    const patternFields = h('div');
    const patternIssues = h('ul', { class: 'issues', 'data-testid': 'form-issues' });
    const patternForm = h('form', { novalidate: true, 'data-testid': 'pattern-form', onsubmit: (event) => { event.preventDefault(); submitPattern(); } },
      h('div', { class: 'field' }, h('label', { for: 'pattern' }, 'Pattern'), patternSelect, h('span', { class: 'hint', id: 'pattern-description' })),
      patternFields, patternIssues,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'pattern-submit' }, 'Run pattern')));
    panels.pattern.append(patternForm);
    let patterns = [];

    function field(name, schema, required) {
      const id = `field-${name}`;
      const long = schema.type === 'string' && /bytes/.test(schema.description || '');
      const control = long
        ? h('textarea', { id, name, rows: 4, 'aria-describedby': `${id}-hint ${id}-issue`, 'aria-required': required ? 'true' : undefined })
        : h('input', { id, name, type: schema.type === 'number' ? 'number' : 'text', step: schema.type === 'number' ? 'any' : undefined,
          'aria-describedby': `${id}-hint ${id}-issue`, 'aria-required': required ? 'true' : undefined, autocomplete: 'off' });
      if (schema.kind === 'json') control.value = '{}';
      control.dataset.kind = schema.kind || schema.type || 'string';
      return h('div', { class: 'field', 'data-field': name },
        h('label', { for: id }, name, required ? ' *' : ''),
        control,
        h('span', { class: 'hint', id: `${id}-hint` }, schema.description || ''),
        h('span', { class: 'issue', id: `${id}-issue`, 'data-testid': `issue-${name}`, role: 'alert' }));
    }

    function renderPattern() {
      const pattern = patterns.find((candidate) => candidate.name === patternSelect.value);
      fill(patternIssues);
      if (!pattern) { fill(patternFields); return; }
      document.getElementById('pattern-description').textContent = `${pattern.description} (${pattern.workflow_type})`;
      const properties = pattern.parameters?.properties || {};
      const required = new Set(pattern.parameters?.required || []);
      fill(patternFields,
        Object.entries(properties).map(([name, schema]) => field(name, schema, required.has(name))),
        field('workflow_id', { type: 'string', description: 'Optional; generated when empty.' }, false),
        field('metadata', { type: 'string', kind: 'json', description: 'A JSON object stored with the workflow.' }, false));
    }

    function clearIssues(container) {
      for (const element of container.querySelectorAll('.field.invalid')) element.classList.remove('invalid');
      for (const element of container.querySelectorAll('.issue')) element.textContent = '';
      for (const element of container.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
    }

    /** Puts each 422 issue next to the field its `loc` names (`["body", "<field>", …]`); the rest in a list. */
    function showFormIssues(issues) {
      clearIssues(patternForm);
      fill(patternIssues);
      let first = null;
      for (const issue of issues) {
        const name = issue.loc?.[0] === 'body' ? issue.loc[1] : undefined;
        const wrapper = name !== undefined ? patternFields.querySelector(`.field[data-field="${CSS.escape(String(name))}"]`) : null;
        if (wrapper) {
          wrapper.classList.add('invalid');
          const control = wrapper.querySelector('input, textarea');
          control.setAttribute('aria-invalid', 'true');
          const slot = wrapper.querySelector('.issue');
          slot.textContent = slot.textContent ? `${slot.textContent} ${issue.msg}` : issue.msg;
          first ??= control;
        } else {
          patternIssues.append(h('li', {}, `${(issue.loc || []).join(' → ')}: ${issue.msg}`));
        }
      }
      first?.focus();
    }

    async function submitPattern() {
      const pattern = patternSelect.value;
      const body = {};
      clearIssues(patternForm);
      fill(patternIssues);
      for (const control of patternFields.querySelectorAll('input, textarea')) {
        const value = control.value;
        if (value.trim() === '' || (control.dataset.kind === 'json' && value.trim() === '{}')) continue;
        if (control.dataset.kind === 'json') {
          try { body[control.name] = JSON.parse(value); } catch (error) {
            showFormIssues([{ loc: ['body', control.name], msg: `Not valid JSON: ${error.message}` }]);
            return;
          }
        } else if (control.dataset.kind === 'number') body[control.name] = Number.isFinite(Number(value)) ? Number(value) : value;
        else body[control.name] = value;
      }
      const result = await api(`patterns/${encodeURIComponent(pattern)}`, { method: 'POST', body, signal });
      if (result.ok) location.hash = `#/workflows/${encodeURIComponent(result.json.workflow_id)}`;
      else if (result.status === 422 && Array.isArray(result.json?.detail)) showFormIssues(result.json.detail);
      else fill(patternIssues, h('li', {}, detailText(result)));
    }

    patternSelect.addEventListener('change', renderPattern);
    api('patterns', { signal }).then((result) => {
      if (!result.ok) { fill(patternIssues, h('li', {}, detailText(result))); return; }
      patterns = result.json;
      fill(patternSelect, ...patterns.map((pattern) => h('option', { value: pattern.name }, pattern.name)));
      renderPattern();
    }, () => {});

    // The JSON editor.
    const example = {
      workflow_type: 'graph',
      tasks: [
        { agent_id: 'api', agent_role: 'backend', input_data: { task: 'Design a REST API for a todo list' } },
        { agent_id: 'ui', agent_role: 'frontend', input_data: { task: 'Design the todo list UI' } },
        { agent_id: 'review', agent_role: 'qa', input_data: { task: 'Review the API and the UI together' }, depends_on: ['api', 'ui'] },
      ],
      metadata: { source: 'dashboard' },
    };
    const editor = h('textarea', { id: 'json-editor', rows: 22, spellcheck: 'false', 'data-testid': 'json-editor', 'aria-describedby': 'json-issues' });
    editor.value = JSON.stringify(draft || example, null, 2);
    draft = null;
    const jsonIssues = h('ul', { class: 'issues', id: 'json-issues', 'data-testid': 'json-issues', role: 'alert' });
    panels.json.append(
      h('form', { 'data-testid': 'json-form', onsubmit: (event) => { event.preventDefault(); submitJSON(); } },
        h('div', { class: 'field' }, h('label', { for: 'json-editor' }, 'Workflow request (POST run-graph)'), editor,
          h('span', { class: 'hint' }, 'workflow_type: sequential, parallel or graph; tasks: agent_id, agent_role, input_data.task, depends_on.')),
        jsonIssues,
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: () => { try { editor.value = JSON.stringify(JSON.parse(editor.value), null, 2); } catch (error) { fill(jsonIssues, h('li', {}, error.message)); } } }, 'Format'),
          h('button', { type: 'submit', class: 'primary', 'data-testid': 'json-submit' }, 'Submit'))));

    function select(range) {
      editor.focus();
      editor.setSelectionRange(range[0], range[1]);
    }

    async function submitJSON() {
      fill(jsonIssues);
      const result = await api('run-graph', { method: 'POST', body: editor.value, signal });
      if (result.ok) { location.hash = `#/workflows/${encodeURIComponent(result.json.workflow_id)}`; return; }
      if (!(result.status === 422 && Array.isArray(result.json?.detail))) {
        fill(jsonIssues, h('li', {}, detailText(result)));
        return;
      }
      const positions = jsonPositions(editor.value);
      for (const issue of result.json.detail) {
        const path = (issue.loc || []).slice(issue.loc?.[0] === 'body' ? 1 : 0);
        let range = null;
        for (let length = path.length; length >= 0 && !range; length--) range = positions.get(path.slice(0, length).join('/')) || null;
        if (typeof path[0] === 'number' && issue.type === 'json_invalid') range = [path[0], path[0] + 1];
        const line = range ? editor.value.slice(0, range[0]).split('\n').length : null;
        jsonIssues.append(h('li', { 'data-loc': (issue.loc || []).join('.') },
          h('strong', {}, path.join(' → ') || 'body'), `: ${issue.msg}`,
          line ? h('button', { type: 'button', onclick: () => select(range), 'aria-label': `Show ${path.join(' ')} in the editor (line ${line})` }, `line ${line}`) : null));
      }
      jsonIssues.querySelector('button')?.focus();
    }
  }

  // ---------------------------------------------------------------- Routing

  let controller = null;
  function route(initial) {
    controller?.abort();
    controller = new AbortController();
    const hash = location.hash.replace(/^#/, '') || '/';
    const [path, search] = hash.split('?');
    const query = new URLSearchParams(search || '');
    fill(main);
    setLive('', '');
    let section = '';
    const match = /^\/workflows\/(.+)$/.exec(path);
    if (path === '/' || path === '') { section = 'overview'; overview(controller.signal); }
    else if (path === '/workflows') { section = 'workflows'; workflowList(controller.signal, query); }
    else if (match) { section = 'workflows'; workflowView(controller.signal, decodeURIComponent(match[1])); }
    else if (path === '/submit') { section = 'submit'; submitView(controller.signal, query); }
    else main.append(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the overview')));
    for (const link of document.querySelectorAll('[data-nav]')) {
      if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (!initial) main.focus({ preventScroll: true });
  }
  window.addEventListener('hashchange', () => route(false));
  route(true);
})();
