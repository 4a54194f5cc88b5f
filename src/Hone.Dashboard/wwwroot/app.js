// Hone dashboard front end: a study list, the study's attributes and note, a server-paged trial table and plots.
// Polls the study's change version and redraws the table and plot when trials change.
(function () {
  'use strict';
  var token = new URLSearchParams(location.search).get('token');
  var state = { study: null, page: 0, size: 50, sort: 'number', desc: false, filterState: '', q: '', plot: 'history', version: -1, config: null, noteVersion: 0 };

  function api(path, options) {
    options = options || {};
    options.headers = options.headers || {};
    if (token) options.headers['Authorization'] = 'Bearer ' + token;
    return fetch(path, options).then(function (r) {
      if (!r.ok) return r.text().then(function (t) { throw new Error(r.status + ': ' + t); });
      return r.json();
    });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6);
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  function setStatus(text) { document.getElementById('status').textContent = text; }

  function loadStudies() {
    return api('api/studies').then(function (studies) {
      var ul = document.getElementById('studies');
      ul.innerHTML = '';
      studies.forEach(function (s) {
        var a = el('a', { href: '#' + s.id, 'data-study': s.id }, s.name);
        if (state.study === s.id) a.className = 'current';
        var li = el('li'); li.appendChild(a); ul.appendChild(li);
      });
      if (state.study === null && studies.length > 0 && !location.hash) location.hash = '#' + studies[0].id;
    });
  }

  function showStudy(id) {
    state.study = id; state.page = 0; state.version = -1;
    loadStudies();
    api('api/studies/' + id).then(function (study) {
      var main = document.getElementById('main');
      main.innerHTML = '';
      var summary = el('section', { id: 'summary' });
      summary.appendChild(el('h2', {}, study.name));
      var states = Object.keys(study.states).map(function (k) { return k + ' ' + study.states[k]; }).join(', ');
      summary.appendChild(el('p', { id: 'counts' }, study.directions.join(', ') + '; ' + study.trials + ' trials (' + states + ')'));
      main.appendChild(summary);
      main.appendChild(plotSection(study));
      main.appendChild(tableSection(study));
      main.appendChild(attrsSection('Study user attributes', study.user_attrs, 'user-attrs'));
      main.appendChild(attrsSection('Study system attributes', study.system_attrs, 'system-attrs'));
      main.appendChild(noteSection(id));
      refresh(true);
    }).catch(function (e) { setStatus(e.message); });
  }

  function attrsSection(title, attrs, id) {
    var s = el('section', { id: id });
    s.appendChild(el('h2', {}, title));
    var t = el('table', { 'class': 'attrs' });
    Object.keys(attrs).forEach(function (k) {
      var tr = el('tr'); tr.appendChild(el('th', {}, k)); tr.appendChild(el('td', {}, fmt(attrs[k]))); t.appendChild(tr);
    });
    if (Object.keys(attrs).length === 0) s.appendChild(el('p', {}, 'None.')); else s.appendChild(t);
    return s;
  }

  function noteSection(id) {
    var s = el('section', { id: 'note' });
    s.appendChild(el('h2', {}, 'Note'));
    var area = el('textarea', { id: 'note-text' });
    var save = el('button', { id: 'note-save' }, 'Save note');
    var msg = el('span', { id: 'note-status' });
    if (state.config.read_only) { area.setAttribute('readonly', 'readonly'); save.disabled = true; msg.textContent = ' read-only'; }
    save.onclick = function () {
      api('api/studies/' + id + '/note', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: state.noteVersion, body: area.value }) })
        .then(function (n) { state.noteVersion = n.version; msg.textContent = ' saved (version ' + n.version + ')'; })
        .catch(function (e) { msg.textContent = ' ' + e.message; });
    };
    api('api/studies/' + id + '/note').then(function (n) { area.value = n.body; state.noteVersion = n.version; });
    s.appendChild(area); s.appendChild(save); s.appendChild(msg);
    return s;
  }

  function plotSection() {
    var s = el('section', { id: 'plots' });
    var controls = el('div', { 'class': 'controls' });
    controls.appendChild(el('h2', {}, 'Plot'));
    var select = el('select', { id: 'plot-kind' });
    state.config.plots.forEach(function (k) { var o = el('option', { value: k }, k); if (k === state.plot) o.selected = true; select.appendChild(o); });
    select.onchange = function () { state.plot = select.value; drawPlot(); };
    controls.appendChild(select);
    controls.appendChild(el('span', { id: 'plot-status' }));
    s.appendChild(controls);
    s.appendChild(el('div', { id: 'plot' }));
    return s;
  }

  function drawPlot() {
    var id = state.study, kind = state.plot, div = document.getElementById('plot');
    div.removeAttribute('data-rendered');
    return api('api/studies/' + id + '/plots/' + kind).then(function (figure) {
      if (id !== state.study || kind !== state.plot) return;
      var status = document.getElementById('plot-status');
      if (figure === null) { Plotly.purge(div); div.innerHTML = ''; status.textContent = 'does not apply to this study'; div.setAttribute('data-rendered', 'none'); return; }
      status.textContent = '';
      return Plotly.react(div, figure.data, figure.layout, { responsive: true, displaylogo: false }).then(function () { div.setAttribute('data-rendered', kind); });
    });
  }

  function tableSection(study) {
    var s = el('section', { id: 'trials' });
    s.appendChild(el('h2', {}, 'Trials'));
    var controls = el('div', { 'class': 'controls' });
    var stateSelect = el('select', { id: 'state-filter' });
    ['', 'complete', 'pruned', 'fail', 'running', 'waiting'].forEach(function (v) { stateSelect.appendChild(el('option', { value: v }, v || 'all states')); });
    stateSelect.value = state.filterState;
    stateSelect.onchange = function () { state.filterState = stateSelect.value; state.page = 0; loadTable(); };
    var search = el('input', { id: 'search', placeholder: 'filter: lr=0.01, trainer=..., or #12' });
    search.onchange = function () { state.q = search.value; state.page = 0; loadTable(); };
    var prev = el('button', { id: 'prev' }, '‹ Prev');
    var next = el('button', { id: 'next' }, 'Next ›');
    prev.onclick = function () { if (state.page > 0) { state.page--; loadTable(); } };
    next.onclick = function () { state.page++; loadTable(); };
    [stateSelect, search, prev, el('span', { id: 'page-info' }), next].forEach(function (c) { controls.appendChild(c); });
    s.appendChild(controls);
    var table = el('table', { id: 'trial-table' });
    var head = el('tr');
    var columns = [['number', '#'], ['state', 'State']].concat(study.directions.map(function (_, i) { return ['value:' + i, study.directions.length > 1 ? 'Value ' + i : 'Value']; }))
      .concat([['duration', 'Duration (s)']]).concat(study.params.map(function (p) { return ['param:' + p, p]; })).concat([['', 'User attributes']]);
    columns.forEach(function (c) {
      var th = el('th', c[0] ? { 'class': 'sortable', 'data-sort': c[0] } : {}, c[1]);
      if (c[0]) th.onclick = function () { state.desc = state.sort === c[0] ? !state.desc : false; state.sort = c[0]; state.page = 0; loadTable(); };
      head.appendChild(th);
    });
    var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
    table.appendChild(el('tbody'));
    s.appendChild(table);
    state.params = study.params;
    return s;
  }

  function loadTable() {
    var id = state.study;
    var q = 'page=' + state.page + '&size=' + state.size + '&sort=' + encodeURIComponent(state.sort) + '&desc=' + (state.desc ? 1 : 0) +
      '&state=' + state.filterState + '&q=' + encodeURIComponent(state.q);
    return api('api/studies/' + id + '/trials?' + q).then(function (page) {
      if (id !== state.study) return;
      var pages = Math.max(1, Math.ceil(page.total / page.size));
      if (state.page >= pages) { state.page = pages - 1; return loadTable(); }
      document.getElementById('page-info').textContent = 'page ' + (page.page + 1) + ' of ' + pages + ' (' + page.total + ' trials)';
      var body = document.querySelector('#trial-table tbody');
      body.innerHTML = '';
      page.trials.forEach(function (t) {
        var tr = el('tr', { 'data-number': t.number });
        var cells = [t.number, t.state].concat((t.values || []).length ? t.values : document.querySelectorAll('#trial-table th[data-sort^="value:"]').length ? Array(document.querySelectorAll('#trial-table th[data-sort^="value:"]').length).fill(null) : [])
          .concat([t.duration]).concat(state.params.map(function (p) { return t.params[p]; })).concat([Object.keys(t.user_attrs).map(function (k) { return k + '=' + fmt(t.user_attrs[k]); }).join('; ')]);
        cells.forEach(function (c) { tr.appendChild(el('td', {}, fmt(c))); });
        body.appendChild(tr);
      });
      document.getElementById('trials').setAttribute('data-version', page.version);
    });
  }

  function refresh(force) {
    if (state.study === null) return Promise.resolve();
    var id = state.study;
    return api('api/studies/' + id + '/version').then(function (v) {
      if (id !== state.study) return;
      if (force || v.version !== state.version) {
        state.version = v.version;
        setStatus('updated ' + new Date().toLocaleTimeString());
        return Promise.all([loadTable(), drawPlot(), api('api/studies/' + id).then(function (s) {
          var states = Object.keys(s.states).map(function (k) { return k + ' ' + s.states[k]; }).join(', ');
          document.getElementById('counts').textContent = s.directions.join(', ') + '; ' + s.trials + ' trials (' + states + ')';
        })]);
      }
    }).catch(function (e) { setStatus(e.message); });
  }

  function route() {
    var id = parseInt(location.hash.slice(1), 10);
    if (!isNaN(id)) showStudy(id);
  }

  api('api/config').then(function (config) {
    state.config = config;
    window.addEventListener('hashchange', route);
    loadStudies().then(route);
    setInterval(function () { refresh(false); }, config.poll_ms);
  }).catch(function (e) { setStatus(e.message); });
})();
