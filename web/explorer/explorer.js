// The GraphQL explorer at /graphql: Apollo Sandbox when Apollo's CDN answers, else GraphiQL from
// our own package (offline, locked-down networks). The server's page carries the choice and the
// operations from examples/ in #explorer-config.
(function () {
  'use strict';
  const root = document.getElementById('explorer');
  const config = JSON.parse(document.getElementById('explorer-config').textContent);
  const endpoint = window.location.origin + window.location.pathname;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const s = document.createElement('script');
      s.src = src;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error('could not load ' + src)); };
      document.head.appendChild(s);
    });
  }

  function loadStyle(href) {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = href;
    document.head.appendChild(l);
  }

  function showSandbox() {
    root.textContent = '';
    root.dataset.explorer = 'sandbox';
    const first = config.examples[0];
    new window.EmbeddedSandbox({
      target: '#explorer',
      initialEndpoint: endpoint,
      initialState: {
        document: first ? first.query : undefined,
        variables: first && first.variables ? JSON.parse(first.variables) : undefined,
        headers: JSON.parse(config.headers),
        includeCookies: false,
      },
      endpointIsEditable: false,
      runTelemetry: false,
      allowDynamicStyles: false,
    });
  }

  async function showGraphiQL(reason) {
    // Sequential: each UMD file expects the globals of the one before (React, ReactDOM, GraphiQL).
    loadStyle('/explorer/graphiql.min.css');
    loadStyle('/explorer/plugin-explorer.css');
    await loadScript('/explorer/react.production.min.js');
    await loadScript('/explorer/react-dom.production.min.js');
    await loadScript('/explorer/graphiql.min.js');
    await loadScript('/explorer/plugin-explorer.umd.js');
    const React = window.React;
    const GraphiQL = window.GraphiQL;
    root.textContent = '';
    root.dataset.explorer = 'graphiql';
    if (reason) root.dataset.fallbackReason = reason;
    const tabs = config.examples.map(function (e) {
      // GraphiQL 3 keeps the operation name of the tab it starts in unless a tab names its own.
      const named = /^\s*(?:query|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/m.exec(e.query);
      return { query: e.query, variables: e.variables || undefined, headers: config.headers, operationName: named ? named[1] : undefined };
    });
    const base = GraphiQL.createFetcher({ url: endpoint });
    // GraphiQL 3 can carry the operation name of the tab it started in into a new tab; an operation
    // name the document does not define is dropped rather than answered with "Unknown operation".
    const fetcher = function (params, opts) {
      const name = params.operationName;
      if (name && !new RegExp('\\b(query|mutation|subscription)\\s+' + name + '\\b').test(params.query)) params = Object.assign({}, params, { operationName: undefined });
      return base(params, opts);
    };
    window.ReactDOM.createRoot(root).render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [window.GraphiQLPluginExplorer.explorerPlugin()],
      defaultTabs: tabs.length ? tabs : undefined,
      // GraphiQL 3 fills the first tab's variables editor from this prop, not from defaultTabs[0].
      variables: tabs.length ? tabs[0].variables : undefined,
      defaultHeaders: config.headers,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }));
  }

  function failed(message) {
    root.dataset.explorer = 'failed';
    root.textContent = message;
  }

  if (config.mode === 'graphiql') {
    showGraphiQL('').catch(function (e) { failed(e.message); });
    return;
  }
  // Sandbox (forced or auto): auto falls back to GraphiQL when the script fails or takes too long.
  let settled = false;
  const fallback = function (reason) {
    if (settled) return;
    settled = true;
    if (config.mode === 'sandbox') return failed('Apollo Sandbox could not be loaded (' + reason + '). Set GRAPHQL_LANDING=graphiql for the offline explorer.');
    showGraphiQL(reason).catch(function (e) { failed(e.message); });
  };
  const timer = setTimeout(function () { fallback('timeout'); }, config.sandboxTimeoutMs);
  loadScript(config.sandboxScript).then(function () {
    if (settled) return;
    clearTimeout(timer);
    if (typeof window.EmbeddedSandbox !== 'function') return fallback('no EmbeddedSandbox');
    settled = true;
    showSandbox();
  }, function () {
    clearTimeout(timer);
    fallback('script failed');
  });
})();
