// whatsapp-web.js pulls in puppeteer; we use Debian's Chromium, never a downloaded browser.
module.exports = { skipDownload: true };
