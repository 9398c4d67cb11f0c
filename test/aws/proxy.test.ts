// Which proxy an AWS API request uses: hashicorp/aws's rules (aws-sdk-go-base on Go's httpproxy), from the
// provider arguments and the environment to the decision for one endpoint.
import t from 'tap';
import { parseProxyUrl, proxyFor, useProxy } from '../../src/aws/proxy';
import { resolveSettings } from '../../src/aws/settings';

const HTTP = 'http://http-proxy.test:1234';
const HTTPS = 'http://https-proxy.test:1234';

/** The proxy chosen for http://example.com and https://example.com (and a no_proxy host), '' for direct. */
function choices(config: Record<string, string>, env: Record<string, string> = {}) {
  const { proxy } = resolveSettings(config, { cwd: '/launch', env });
  const pick = (protocol: 'http:' | 'https:', host: string) => proxyFor(proxy, protocol, host, protocol === 'https:' ? 443 : 80)?.href.replace(/\/$/, '') ?? '';
  return {
    http: pick('http:', 'example.com'),
    https: pick('https:', 'example.com'),
    httpExempt: pick('http:', 'dont-proxy.test'),
    httpsExempt: pick('https:', 'dont-proxy.test'),
    warning: proxy.httpsFromHttp,
  };
}

t.test('arguments and environment variables', async (t) => {
  t.same(choices({}), { http: '', https: '', httpExempt: '', httpsExempt: '', warning: false }, 'nothing set: direct');
  t.same(choices({ http_proxy: '' }), { http: '', https: '', httpExempt: '', httpsExempt: '', warning: false }, 'empty http_proxy: direct');
  t.same(choices({ http_proxy: HTTP }), { http: HTTP, https: HTTP, httpExempt: HTTP, httpsExempt: HTTP, warning: true }, 'http_proxy alone serves HTTPS too, with the warning');
  t.same(choices({ https_proxy: HTTPS }), { http: '', https: HTTPS, httpExempt: '', httpsExempt: HTTPS, warning: false });
  t.same(choices({ http_proxy: HTTP, https_proxy: HTTPS }), { http: HTTP, https: HTTPS, httpExempt: HTTP, httpsExempt: HTTPS, warning: false });
  t.same(choices({ http_proxy: HTTP, https_proxy: '' }), { http: HTTP, https: '', httpExempt: HTTP, httpsExempt: '', warning: false }, 'an empty https_proxy means none, without warning');
  t.same(choices({ http_proxy: '', https_proxy: HTTPS }), { http: '', https: HTTPS, httpExempt: '', httpsExempt: HTTPS, warning: false });
  t.same(choices({ http_proxy: HTTP, https_proxy: HTTPS, no_proxy: 'dont-proxy.test' }), { http: HTTP, https: HTTPS, httpExempt: '', httpsExempt: '', warning: false });
  for (const name of ['HTTP_PROXY', 'http_proxy']) {
    t.same(choices({}, { [name]: HTTP }), { http: HTTP, https: '', httpExempt: HTTP, httpsExempt: '', warning: false }, `${name} serves HTTP only, without warning`);
  }
  for (const name of ['HTTPS_PROXY', 'https_proxy']) {
    t.same(choices({}, { [name]: HTTPS }), { http: '', https: HTTPS, httpExempt: '', httpsExempt: HTTPS, warning: false }, `${name}`);
    t.same(choices({ http_proxy: HTTP }, { [name]: HTTPS }), { http: HTTP, https: HTTPS, httpExempt: HTTP, httpsExempt: HTTPS, warning: false }, `http_proxy and ${name}`);
  }
  for (const name of ['NO_PROXY', 'no_proxy']) {
    t.same(choices({ http_proxy: HTTP }, { [name]: 'dont-proxy.test' }), { http: HTTP, https: HTTP, httpExempt: '', httpsExempt: '', warning: true }, `http_proxy and ${name}`);
  }
  t.same(
    choices({}, { HTTP_PROXY: HTTP, HTTPS_PROXY: HTTPS, NO_PROXY: 'dont-proxy.test' }),
    { http: HTTP, https: HTTPS, httpExempt: '', httpsExempt: '', warning: false },
    'all three from the environment',
  );
  t.same(choices({ http_proxy: 'http://config-proxy.test:1234' }, { HTTP_PROXY: 'http://envvar-proxy.test:1234' }).http, 'http://config-proxy.test:1234', 'the argument wins over HTTP_PROXY');
  t.same(choices({ https_proxy: 'http://config-proxy.test:1234' }, { HTTPS_PROXY: 'http://envvar-proxy.test:1234' }).https, 'http://config-proxy.test:1234', 'the argument wins over HTTPS_PROXY');
  t.same(choices({ http_proxy: '' }, { HTTP_PROXY: HTTP }).http, '', 'an empty argument wins over HTTP_PROXY');
  t.same(choices({ no_proxy: '' }, { NO_PROXY: 'dont-proxy.test', HTTP_PROXY: HTTP }).httpExempt, HTTP, 'an empty no_proxy wins over NO_PROXY');
});

t.test('no_proxy matching (Go httpproxy)', async (t) => {
  const cases: [noProxy: string, host: string, port: number, proxied: boolean][] = [
    ['', 'example.com', 443, true],
    ['', 'localhost', 80, false],
    ['', '127.0.0.1', 80, false],
    ['', '127.9.9.9', 80, false],
    ['', '::1', 80, false],
    ['', '[::1]', 80, false],
    ['example.com', 'example.com', 80, false],
    ['example.com', 'foo.example.com', 80, false],
    ['example.com', 'badexample.com', 80, true],
    ['.example.com', 'example.com', 80, true],
    ['.example.com', 'a.example.com', 80, false],
    ['*.example.com', 'example.com', 80, true],
    ['*.example.com', 'a.example.com', 80, false],
    ['example.com:8080', 'example.com', 80, true],
    ['example.com:8080', 'example.com', 8080, false],
    ['10.0.0.0/8', '10.1.2.3', 80, false],
    ['10.0.0.0/8', '11.1.2.3', 80, true],
    ['10.0.0.0/8', 'ten.example', 80, true],
    ['10.1.2.3', '10.1.2.3', 80, false],
    ['10.1.2.3:81', '10.1.2.3', 80, true],
    ['*', 'anything.test', 1, false],
    [' A.COM , b.com', 'a.com', 1, false],
    [' A.COM , b.com', 'c.com', 1, true],
    ['2001:db8::/32', '2001:db8::1', 1, false],
    ['[2001:db8::1]:443', '2001:db8::1', 443, false],
    ['2001:db8::1', '2001:db8::2', 443, true],
  ];
  for (const [noProxy, host, port, proxied] of cases) {
    t.equal(useProxy(noProxy, host, port), proxied, `no_proxy ${JSON.stringify(noProxy)}, ${host}:${port}: ${proxied ? 'proxied' : 'direct'}`);
  }
});

t.test('proxy URLs', async (t) => {
  t.equal(parseProxyUrl('proxy.local:3128').href, 'http://proxy.local:3128/', 'no scheme means http');
  t.equal(parseProxyUrl('https://user:pass@proxy.local:3128').username, 'user');
  t.throws(() => parseProxyUrl('socks5://proxy.local:1080'), /unsupported proxy scheme "socks5"/);
});
