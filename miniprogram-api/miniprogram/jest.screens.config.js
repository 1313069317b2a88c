// Renders the main screens to PNG for the README (npm run screens): the same real server and page rendering as the
// tests, then each rendered WXML tree as HTML, captured by Debian's headless Chromium into docs/.
module.exports = Object.assign({}, require('./jest.config.js'), { testMatch: ['<rootDir>/scripts/screens.jest.js'] })
