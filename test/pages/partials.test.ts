import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Translator } from '../../src/i18n.js';
import { fillPage } from '../../src/pages/html-page.js';
import { expandPartials, readPage } from '../../src/pages/partials.js';

let translator: Translator;
beforeAll(async () => {
  translator = await Translator.load('locales');
});

const head = (attributes: string) => expandPartials(`{{> head ${attributes}}}\n<body></body>\n</html>\n`, 'test.html');

describe('{{> head}} partial', () => {
  it('writes the shared head: lang, charset, viewport, noindex, title, icon, stylesheet; no script without script=', () => {
    const page = head('title="{{board.title}}" css=/board/assets/board.css');
    expect(page).toBe(
      [
        '<!doctype html>',
        '<html lang="{{lang}}">',
        '<head>',
        '  <meta charset="utf-8">',
        '  <meta name="viewport" content="width=device-width, initial-scale=1">',
        '  <meta name="robots" content="noindex">',
        '  <title>{{board.title}}</title>',
        '  <link rel="icon" href="data:,">',
        '  <link rel="stylesheet" href="/board/assets/board.css">',
        '</head>',
        '<body></body>',
        '</html>',
        '',
      ].join('\n'),
    );
    expect(page).not.toContain('<script');
    expect(page).not.toContain('refresh');
  });

  it('adds the module script, the JSON data block, a print stylesheet, a refresh and a viewport when asked', () => {
    const page = head('title="{{kiosk.title}}" css=/k.css print="/print-{{paper}}.css" script=/k.js data=kiosk-data refresh="{{refresh}}" viewport="width=device-width, initial-scale=1, user-scalable=no"');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">');
    expect(page).toContain('<meta http-equiv="refresh" content="{{refresh}}">');
    expect(page).toContain('<link rel="stylesheet" href="/print-{{paper}}.css" media="print">');
    expect(page).toContain('<script type="module" src="/k.js"></script>\n  <script type="application/json" id="kiosk-data">{{{data}}}</script>\n</head>');
  });

  it('leaves the robots line out with robots=""', () => {
    expect(head('title="{{webchat.title}}" css=/style.css robots=""')).not.toContain('robots');
  });

  it('keeps escaping: values inside attributes are filled and escaped by fillPage, the data block stays raw', () => {
    const template = head('title="{{name}} · {{board.title}}" css=/b.css script=/b.js data=b-data');
    const html = fillPage(template, translator, 'en', { name: '<img src=x onerror=alert(1)>' }, { data: '{"a":1}' });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<title>&lt;img src=x onerror=alert(1)&gt; · ${translator.t('en', 'board.title')}</title>`);
    expect(html).toContain('<script type="application/json" id="b-data">{"a":1}</script>');
    expect(html).not.toContain('<img');
  });

  it('fails with a clear error at startup for an unknown partial, attribute, a missing or doubled attribute, or markup in a value', () => {
    expect(() => expandPartials('{{> header title=x}}', 'a.html')).toThrow('page a.html: unknown partial {{> header}} (known: head)');
    expect(() => head('title=x css=/a.css colour=red')).toThrow('page test.html: {{> head}} has no attribute colour');
    expect(() => head('title=x')).toThrow('{{> head}} needs css=');
    expect(() => head('title=x css=/a.css css=/b.css')).toThrow('{{> head}} sets css twice');
    expect(() => head('title="a <b>" css=/a.css')).toThrow('{{> head}} title may not contain < > or "');
    expect(() => head('title=x css=/a.css script')).toThrow('page test.html: malformed partial');
    expect(() => expandPartials('{{> head title="unclosed css=/a.css}}', 'b.html')).toThrow('page b.html: malformed partial');
    expect(() => expandPartials('{{> constructor}}', 'c.html')).toThrow('unknown partial {{> constructor}}');
  });

  it('readPage expands the partials of a template file, so a bad page stops the server when its module loads', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'partials-'));
    writeFileSync(path.join(dir, 'good.html'), '{{> head title=T css=/a.css}}\n<body></body>\n');
    writeFileSync(path.join(dir, 'bad.html'), '{{> head title=T css=/a.css scrpt=/a.js}}\n');
    expect(readPage(dir, 'good.html')).toContain('<title>T</title>');
    expect(() => readPage(dir, 'bad.html')).toThrow('page bad.html: {{> head}} has no attribute scrpt');
  });
});
