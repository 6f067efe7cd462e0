// baystack's live page: the project's bays, their progress, and the events of one of them.
// Only baystack's own v1 API is called, with the token kept in this tab (sessionStorage).
'use strict';
(() => {
  const KEY = 'baystack.token';
  const VERSION = 'container-infra latest';
  const REFRESH_MS = 2000;
  const $ = (id) => document.getElementById(id);

  let selected = null;      // uuid of the bay whose events are shown
  let lastEvent = null;     // uuid of the last event shown: where a new stream starts
  let watching = null;      // AbortController of the open events stream
  let timer = null;
  const progress = new Map(); // uuid -> {status, figures}: fetched again only while in progress or when the status moves

  const token = () => sessionStorage.getItem(KEY);

  function headers(accept, json) {
    const h = { 'X-Auth-Token': token(), 'OpenStack-API-Version': VERSION, Accept: accept };
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  async function failure(r) {
    try {
      return (await r.json()).errors[0].detail;
    } catch (e) {
      return 'HTTP ' + r.status;
    }
  }

  async function api(method, path, body) {
    const r = await fetch(path, {
      method, headers: headers('application/json', body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status === 401) {
      signOut('The token was refused (expired or revoked?).');
      throw new Error('not authenticated');
    }
    if (!r.ok) throw new Error(await failure(r));
    return r.status === 204 ? null : r.json();
  }

  const inProgress = (status) => status.endsWith('_IN_PROGRESS');

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function bar(td, p) {
    if (!p || p.total === 0) {
      td.textContent = '';
      return;
    }
    const outer = document.createElement('span');
    outer.className = 'bar';
    outer.setAttribute('role', 'progressbar');
    outer.setAttribute('aria-valuenow', String(p.percent));
    const inner = document.createElement('div');
    inner.style.width = p.percent + '%';
    outer.appendChild(inner);
    const label = document.createElement('span');
    label.className = 'percent';
    label.textContent = ` ${p.percent}% (${p.complete}/${p.total}${p.failed ? ', ' + p.failed + ' failed' : ''})`;
    td.replaceChildren(outer, label);
    if (p.pending_resources.length) td.title = 'not started: ' + p.pending_resources.join(', ');
  }

  async function progressOf(bay) {
    const known = progress.get(bay.uuid);
    if (known && known.status === bay.status && !inProgress(bay.status)) return known.figures;
    const figures = await api('GET', `/v1/bays/${bay.uuid}/progress`);
    progress.set(bay.uuid, { status: bay.status, figures });
    return figures;
  }

  async function refresh() {
    try {
      const { bays } = await api('GET', '/v1/bays/detail');
      const figures = await Promise.all(bays.map((b) => progressOf(b).catch(() => null)));
      const rows = bays.map((bay, i) => row(bay, figures[i]));
      $('bays').tBodies[0].replaceChildren(...rows);
      $('error').textContent = '';
      const current = bays.find((b) => b.uuid === selected);
      if (current && inProgress(current.status) && !watching) watch(current); // an operation began meanwhile
    } catch (e) {
      $('error').textContent = e.message;
    }
  }

  function row(bay, figures) {
    const tr = document.createElement('tr');
    tr.dataset.uuid = bay.uuid;
    tr.dataset.name = bay.name;
    if (bay.uuid === selected) tr.className = 'selected';
    const name = cell(tr, '');
    const link = document.createElement('a');
    link.href = '#';
    link.textContent = bay.name;
    link.addEventListener('click', (ev) => { ev.preventDefault(); select(bay); });
    name.appendChild(link);
    const status = cell(tr, bay.status, 'status status-' + bay.status);
    status.title = bay.status_reason || '';
    cell(tr, bay.node_count);
    bar(cell(tr, '', 'progress' + (figures && figures.failed ? ' failed' : '')), figures);
    const actions = cell(tr, '');
    actions.append(button('Scale', () => scale(bay)), ' ', button('Delete', () => remove(bay)));
    return tr;
  }

  function button(label, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', action);
    return b;
  }

  async function scale(bay) {
    const answer = prompt(`node_count of ${bay.name}`, String(bay.node_count));
    if (answer === null) return;
    try {
      await api('PATCH', `/v1/bays/${bay.uuid}`, [{ op: 'replace', path: '/node_count', value: Number(answer) }]);
      select(bay, true);
      refresh();
    } catch (e) {
      $('error').textContent = e.message;
    }
  }

  async function remove(bay) {
    if (!confirm(`Delete bay ${bay.name} and its stack?`)) return;
    try {
      await api('DELETE', `/v1/bays/${bay.uuid}`);
      select(bay, true);
      refresh();
    } catch (e) {
      $('error').textContent = e.message;
    }
  }

  /** Shows the bay's events; {@code keep}: the same bay again, continue after what is shown. */
  function select(bay, keep) {
    if (!(keep && selected === bay.uuid)) {
      selected = bay.uuid;
      lastEvent = null;
      $('events').tBodies[0].replaceChildren();
    }
    $('events-of').textContent = bay.name;
    $('events-panel').hidden = false;
    for (const tr of $('bays').tBodies[0].rows) tr.className = tr.dataset.uuid === selected ? 'selected' : '';
    watch(bay);
  }

  function addEvent(e) {
    lastEvent = e.uuid;
    const tr = document.createElement('tr');
    tr.className = e.source;
    cell(tr, e.time ? e.time.slice(11, 19) : '').title = e.time || '';
    cell(tr, e.source);
    const what = cell(tr, e.source === 'heat' ? e.resource_name : e.kind.replaceAll('_', ' '));
    if (e.stack_name) what.title = 'in stack ' + e.stack_name;
    cell(tr, e.status, e.status && e.status.endsWith('_FAILED') ? 'failed' : '');
    cell(tr, e.status_reason);
    $('events').tBodies[0].appendChild(tr);
    const scroll = $('events-scroll');
    scroll.scrollTop = scroll.scrollHeight; // newest last, in view
  }

  /** Reads the bay's event stream (SSE over fetch, so the token travels as a header) until it ends. */
  async function watch(bay) {
    if (watching) watching.abort();
    const ctrl = new AbortController();
    watching = ctrl;
    const uuid = bay.uuid;
    $('events-state').textContent = '(live)';
    try {
      const marker = lastEvent ? '?marker=' + encodeURIComponent(lastEvent) : '';
      const r = await fetch(`/v1/bays/${uuid}/events/watch${marker}`,
        { headers: headers('text/event-stream', false), signal: ctrl.signal });
      if (!r.ok) throw new Error(await failure(r));
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let cut = false; // the server ended the stream before the bay was done: watch again from lastEvent
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^: ?the watch ends/.test(block)) cut = true;
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
          if (data && selected === uuid) addEvent(JSON.parse(data));
        }
      }
      if (cut && selected === uuid && watching === ctrl) {
        watching = null;
        watch(bay);
        return;
      }
      if (selected === uuid) $('events-state').textContent = '(done: the bay is in a final state)';
    } catch (e) {
      if (e.name !== 'AbortError' && selected === uuid) $('events-state').textContent = '(stopped: ' + e.message + ')';
    } finally {
      if (watching === ctrl) watching = null;
    }
  }

  async function loadModels() {
    const { baymodels } = await api('GET', '/v1/baymodels');
    const select = $('create-model');
    select.replaceChildren(...baymodels.map((m) => {
      const o = document.createElement('option');
      o.value = m.uuid;
      o.textContent = m.name;
      return o;
    }));
    if (!baymodels.length) $('error').textContent = 'No baymodel yet: create one first (openstack coe cluster template create …).';
  }

  async function create(ev) {
    ev.preventDefault();
    try {
      const name = $('create-name').value;
      const { uuid } = await api('POST', '/v1/bays',
        { name, baymodel_id: $('create-model').value, node_count: Number($('create-nodes').value) });
      $('create-name').value = '';
      select({ uuid, name });
      refresh();
    } catch (e) {
      $('error').textContent = e.message;
    }
  }

  async function signIn(value) {
    sessionStorage.setItem(KEY, value);
    try {
      await loadModels();
    } catch (e) {
      if (token()) $('login-error').textContent = e.message;
      return;
    }
    $('login').hidden = true;
    $('app').hidden = false;
    $('signout').hidden = false;
    $('who').textContent = 'signed in with a token (this tab only)';
    await refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  function signOut(why) {
    sessionStorage.removeItem(KEY);
    if (timer) clearInterval(timer);
    if (watching) watching.abort();
    selected = null;
    progress.clear();
    $('app').hidden = true;
    $('signout').hidden = true;
    $('login').hidden = false;
    $('who').textContent = '';
    $('login-error').textContent = why || '';
  }

  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = $('token').value.trim();
    $('token').value = '';
    signIn(value);
  });
  $('create-form').addEventListener('submit', create);
  $('signout').addEventListener('click', () => signOut());
  if (token()) signIn(token());
})();
