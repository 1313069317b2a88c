// Node tests of the mini-program: pages rendered by miniprogram-simulate (WeChat's own WXML compiler) in jsdom,
// with `wx` bridged to a real OrderHub server started once for the run (test/support/global-setup.js).
module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 120000,
  maxWorkers: 1,
  // as in WeChat, a package name resolves to its built copy in miniprogram_npm
  moduleNameMapper: { '^@qiun/ucharts$': '<rootDir>/miniprogram_npm/@qiun/ucharts/index.js' }
}
