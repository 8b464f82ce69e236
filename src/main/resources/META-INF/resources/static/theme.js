// Runs before the page paints: applies the theme chosen with the toggle, if any; otherwise the
// stylesheet follows prefers-color-scheme.
(function () {
  try {
    var theme = localStorage.getItem('testum-theme');
    if (theme === 'dark' || theme === 'light') {
      document.documentElement.setAttribute('data-theme', theme);
    }
  } catch (e) {
    // Storage may be disabled; the system preference still applies.
  }
})();
