// testum web UI: a little plain JavaScript. The pages work without it, except live output.
(function () {
  'use strict';

  var root = document.documentElement;

  // --- Theme: follows prefers-color-scheme until the toggle picks one, which is remembered.
  function theme() {
    var chosen = root.getAttribute('data-theme');
    if (chosen) {
      return chosen;
    }
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  var toggle = document.getElementById('theme-toggle');
  function showTheme() {
    var dark = theme() === 'dark';
    toggle.setAttribute('aria-pressed', dark ? 'true' : 'false');
    toggle.textContent = dark ? toggle.getAttribute('data-to-light') : toggle.getAttribute('data-to-dark');
  }
  if (toggle) {
    toggle.hidden = false;
    showTheme();
    toggle.addEventListener('click', function () {
      var next = theme() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try {
        localStorage.setItem('testum-theme', next);
      } catch (e) {
        // Not remembered, still applied.
      }
      showTheme();
    });
  }

  // --- Forms that ask before they act (delete, cancel).
  document.addEventListener('submit', function (event) {
    var question = event.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // --- "Back" on the error page: only with JavaScript, which has a history to go back in.
  Array.prototype.forEach.call(document.querySelectorAll('[data-back]'), function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.history.back();
    });
  });

  // --- Parts of a page that need a slow call (host stats over SSH) load once, after the page.
  Array.prototype.forEach.call(document.querySelectorAll('[data-fragment]'), function (box) {
    fetch(box.getAttribute('data-fragment'), { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        box.innerHTML = html;
        box.setAttribute('aria-busy', 'false');
      })
      .catch(function () {
        box.textContent = box.getAttribute('data-failed');
        box.setAttribute('aria-busy', 'false');
      });
  });

  // --- After a login was asked for because the access token ran out: try the refresh cookie first.
  var resume = document.querySelector('[data-resume]');
  if (resume) {
    fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' }).then(function (response) {
      if (response.ok) {
        window.location.replace(resume.getAttribute('data-resume'));
      }
    }).catch(function () {
      // Stay on the login form.
    });
  }

  // --- Live run output over the runs WebSocket: replays what happened, then streams until run_done.
  function label(box, status) {
    var labels = JSON.parse(box.getAttribute('data-labels') || '{}');
    return labels[status] || status;
  }
  function tone(status) {
    return { succeeded: 'ok', running: 'info', queued: 'info', failed: 'bad', timed_out: 'bad', canceled: 'warn' }[status] || '';
  }
  function setBadge(badge, box, status) {
    if (badge) {
      badge.textContent = label(box, status);
      badge.className = 'badge ' + tone(status);
      badge.setAttribute('data-status', status);
    }
  }
  function hostOf(box, platform) {
    var hosts = box.querySelectorAll('[data-host]');
    for (var i = 0; i < hosts.length; i++) {
      if (hosts[i].getAttribute('data-host') === platform) {
        return hosts[i];
      }
    }
    var template = box.querySelector('template');
    var host = template.content.firstElementChild.cloneNode(true);
    host.setAttribute('data-host', platform);
    host.querySelector('.name').textContent = platform;
    box.querySelector('.hosts').appendChild(host);
    return host;
  }
  function follow(box) {
    var scheme = window.location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + window.location.host + '/ws/runs/' + box.getAttribute('data-run'));
    var finished = false;
    box.setAttribute('data-state', 'live');
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'output') {
        var out = hostOf(box, message.platform).querySelector('pre');
        var text = document.createTextNode(message.data);
        if (message.stream === 'stderr') {
          var span = document.createElement('span');
          span.className = 'stderr';
          span.appendChild(text);
          out.appendChild(span);
        } else {
          out.appendChild(text);
        }
        out.scrollTop = out.scrollHeight;
      } else if (message.type === 'status') {
        var host = hostOf(box, message.platform);
        setBadge(host.querySelector('.badge'), box, message.status);
        if (message.error) {
          host.querySelector('.error').textContent = message.error;
        }
      } else if (message.type === 'done') {
        hostOf(box, message.platform).querySelector('.exit').textContent =
          message.exit_code === null || message.exit_code === undefined ? '' : box.getAttribute('data-exit') + ' ' + message.exit_code;
      } else if (message.type === 'run_done') {
        finished = true;
        setBadge(document.getElementById('run-status'), box, message.status);
        box.setAttribute('data-state', 'done');
        Array.prototype.forEach.call(document.querySelectorAll('[data-while-running]'), function (el) {
          el.hidden = true;
        });
        var note = box.querySelector('.live-note');
        if (note) {
          note.textContent = box.getAttribute('data-finished');
        }
      }
    };
    socket.onclose = function () {
      if (!finished) {
        box.setAttribute('data-state', 'closed');
        var note = box.querySelector('.live-note');
        if (note) {
          note.textContent = box.getAttribute('data-lost');
        }
      }
    };
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-run]'), follow);
})();
