// openid-client (v6), an independent certified OpenID Connect client, against a real Freedom ID server:
// discovery, authorization code flow with PKCE, id_token validation (signature, iss, aud, exp, nonce),
// userinfo, refresh with rotation, revocation and introspection; pushed authorization requests (RFC 9126) and
// DPoP (RFC 9449) with the server demanding nonces (FREEDOM_ID_DPOP_NONCE=required), which the library retries;
// dynamic client registration (RFC 7591) with an initial access token from the command line, and a sign-in with the
// client it registered; the device authorization grant (RFC 8628).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import * as client from 'openid-client'

const root = path.resolve(import.meta.dirname, '../..')
const launcher = path.join(root, 'freedom-id')
const redirectUri = 'https://rp.example/oidc/callback'
let server, base, env, config, created, initialAccessToken

function freePort () {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
    s.on('error', reject)
  })
}

async function waitReady (url, ms) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    try { if ((await fetch(url)).status === 200) return } catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error(`server not ready at ${url} within ${ms} ms`)
}

before(async () => {
  const port = await freePort()
  base = `http://localhost:${port}`
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FREEDOM_ID_')))
  Object.assign(env, {
    FREEDOM_ID_PORT: String(port),
    FREEDOM_ID_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'freedom-id-oc-')),
    FREEDOM_ID_DEV: 'true',
    FREEDOM_ID_LOG_LEVEL: 'WARN',
    // Only DPoP requests are affected: proofs must carry a server nonce, so the library's nonce retry is exercised.
    FREEDOM_ID_DPOP_NONCE: 'required'
  })
  created = JSON.parse(execFileSync(launcher, ['partner', 'create', '--name', 'openid-client RP',
    '--redirect-uri', redirectUri, '--grants', 'openid,read.firstname,read.lastname,read.phone', '--device-grant', '--json'], { env }).toString())
  initialAccessToken = JSON.parse(execFileSync(launcher, ['registration-token', 'create', '--uses', '1',
    '--note', 'openid-client interop', '--json'], { env }).toString()).token
  server = spawn(launcher, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  await waitReady(`${base}/health/ready`, 90_000)
  config = await client.discovery(new URL(base), created.client_id, created.client_secret, undefined,
    { execute: [client.allowInsecureRequests] })
})

after(async () => {
  if (!server) return
  const exited = new Promise(resolve => server.once('exit', resolve))
  server.kill('SIGTERM')
  await exited
})

// A browser without JavaScript: keeps cookies, never follows redirects by itself, posts the pages' forms.
function browser () {
  const cookies = new Map()
  async function request (url, init = {}) {
    const headers = { 'Accept-Language': 'en', ...(init.headers || {}) }
    if (cookies.size) headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const response = await fetch(new URL(url, base), { ...init, headers, redirect: 'manual' })
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [name, value] = pair.split('=')
      cookies.set(name.trim(), value)
    }
    return { status: response.status, location: response.headers.get('location'), body: await response.text() }
  }
  const field = (html, name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1]
  async function post (page, action, fields) {
    const form = new URLSearchParams({ csrf: field(page.body, 'csrf'), track_id: field(page.body, 'track_id'), ...fields })
    return request(action, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  }
  return { request, post }
}

async function signIn (authorizationUrl, phone, clientName = 'openid-client RP') {
  const b = browser()
  const toLogin = await b.request(authorizationUrl)
  assert.equal(toLogin.status, 303)
  const phonePage = await b.request(toLogin.location)
  const codePage = await b.post(phonePage, '/login/phone', { phone, method: 'otp' })
  assert.equal(codePage.status, 200)
  const [sms] = await (await fetch(`${base}/dev/outbox?to=${encodeURIComponent(phone)}`)).json()
  const signup = await b.post(codePage, '/login/code', { phone, code: sms.code })
  const toConsent = await b.post(signup, '/login/signup', { firstname: 'Aruzhan', lastname: 'Tulegenova' })
  assert.equal(toConsent.status, 303)
  const consent = await b.request(toConsent.location)
  assert.ok(consent.body.includes(clientName), `consent page names ${clientName}`)
  const back = await b.post(consent, '/login/consent', { decision: 'approve' })
  assert.equal(back.status, 303)
  return new URL(back.location)
}

test('discovery names the contract endpoints', () => {
  const m = config.serverMetadata()
  assert.equal(m.issuer, base)
  assert.equal(m.authorization_endpoint, `${base}/openid`)
  assert.equal(m.token_endpoint, `${base}/api/v1/oidc/token`)
  assert.deepEqual(m.code_challenge_methods_supported, ['S256'])
  assert.equal(m.authorization_response_iss_parameter_supported, true)
})

test('code flow with PKCE, id_token, userinfo, refresh, revocation, introspection', async () => {
  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid read.firstname read.phone',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce
  })
  const phone = `+7705${String(Date.now()).slice(-7)}`
  const callback = await signIn(url, phone)

  // openid-client checks state, iss (RFC 9207), the code exchange, the id_token signature against the JWKS,
  // iss, aud, exp, iat, nonce, and at_hash.
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true })
  const claims = tokens.claims()
  assert.equal(claims.iss, base)
  assert.equal(claims.nonce, nonce)
  assert.ok(claims.sid)
  assert.deepEqual(claims.amr, ['sms'])
  assert.equal(tokens.token_type.toLowerCase(), 'bearer')
  assert.equal(tokens.access_token.length, 128)

  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
  assert.equal(info.given_name, 'Aruzhan')
  assert.equal(info.phone_number, phone)
  assert.equal(info.family_name, undefined, 'read.lastname was not requested')

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token)
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token)
  assert.equal(refreshed.claims().sub, claims.sub)
  await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), e => e.error === 'invalid_grant')

  // The reuse above revoked the whole grant, so the newest access token is no longer active either.
  assert.equal((await client.tokenIntrospection(config, refreshed.access_token)).active, false)
})

test('revocation ends an access token', async () => {
  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid read.firstname', state,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256'
  })
  const callback = await signIn(url, `+7706${String(Date.now()).slice(-7)}`)
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state })
  const active = await client.tokenIntrospection(config, tokens.access_token)
  assert.equal(active.active, true)
  assert.equal(active.client_id, config.clientMetadata().client_id)
  await client.tokenRevocation(config, tokens.access_token)
  assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false)
  await assert.rejects(client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck))
})

test('PAR and DPoP: pushed request, DPoP-bound tokens, userinfo and partner user info with proofs, nonce retries', async () => {
  // Its own configuration, to see each response the library got (the use_dpop_nonce challenges it retried).
  const seen = []
  const dpopConfig = await client.discovery(new URL(base), created.client_id, created.client_secret, undefined,
    { execute: [client.allowInsecureRequests] })
  dpopConfig[client.customFetch] = async (url, options) => {
    const response = await fetch(url, options)
    seen.push({ path: new URL(url).pathname, status: response.status, nonce: response.headers.get('dpop-nonce'),
      body: response.status >= 400 ? await response.clone().text() : '' })
    return response
  }
  assert.ok(dpopConfig.serverMetadata().dpop_signing_alg_values_supported.includes('ES256'))
  const DPoP = client.getDPoPHandle(dpopConfig, await client.randomDPoPKeyPair('ES256'))

  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const url = await client.buildAuthorizationUrlWithPAR(dpopConfig, {
    redirect_uri: redirectUri,
    scope: 'openid read.firstname read.phone',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state
  }, { DPoP })
  assert.match(url.searchParams.get('request_uri'), /^urn:ietf:params:oauth:request_uri:/)
  assert.equal(url.searchParams.get('scope'), null, 'the parameters stay with the server')
  const phone = `+7707${String(Date.now()).slice(-7)}`
  const callback = await signIn(url, phone)

  // The proof sent with the pushed request was checked (and bound the code to the key, RFC 9449 §10): the server
  // demanded a nonce there first and the library retried with it.
  const nonceDemands = seen.filter(r => r.status === 400 && r.body.includes('use_dpop_nonce'))
  assert.deepEqual(nonceDemands.map(r => r.path), ['/api/v1/oidc/par'])
  assert.ok(nonceDemands[0].nonce)

  // Another key cannot redeem a code bound at PAR; that refusal leaves the code usable by the right key.
  const otherKey = client.getDPoPHandle(dpopConfig, await client.randomDPoPKeyPair('ES256'))
  await assert.rejects(client.authorizationCodeGrant(dpopConfig, callback,
    { pkceCodeVerifier: codeVerifier, expectedState: state }, undefined, { DPoP: otherKey }), e => e.error === 'invalid_grant')
  const tokens = await client.authorizationCodeGrant(dpopConfig, callback,
    { pkceCodeVerifier: codeVerifier, expectedState: state }, undefined, { DPoP })
  assert.equal(tokens.token_type.toLowerCase(), 'dpop')

  const info = await client.fetchUserInfo(dpopConfig, tokens.access_token, tokens.claims().sub, { DPoP })
  assert.equal(info.given_name, 'Aruzhan')
  assert.equal(info.phone_number, phone)
  // The bound token is no bearer token (RFC 9449 §7.2).
  await assert.rejects(client.fetchUserInfo(dpopConfig, tokens.access_token, client.skipSubjectCheck))

  const partnerInfo = await client.fetchProtectedResource(dpopConfig, tokens.access_token,
    new URL(`${base}/api/v1/oauth/user`), 'GET', undefined, undefined, { DPoP })
  assert.equal(partnerInfo.status, 200)
  assert.equal((await partnerInfo.json()).firstname, 'Aruzhan')

  const introspected = await client.tokenIntrospection(dpopConfig, tokens.access_token)
  assert.equal(introspected.token_type, 'DPoP')
  assert.equal(typeof introspected.cnf?.jkt, 'string')

  const refreshed = await client.refreshTokenGrant(dpopConfig, tokens.refresh_token, undefined, { DPoP })
  assert.equal(refreshed.token_type.toLowerCase(), 'dpop')
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token)
  // A bound refresh token without a proof is refused and stays usable (RFC 9449 §5).
  await assert.rejects(client.refreshTokenGrant(dpopConfig, refreshed.refresh_token), e => e.error === 'invalid_grant')
  const again = await client.refreshTokenGrant(dpopConfig, refreshed.refresh_token, undefined, { DPoP })
  assert.equal(again.token_type.toLowerCase(), 'dpop')
})

test('dynamic registration with an initial access token, then a sign-in with the registered client', async () => {
  const registeredUri = 'https://rp.example/dcr/callback'
  const dcr = await client.dynamicClientRegistration(new URL(base), {
    redirect_uris: [registeredUri],
    client_name: 'openid-client DCR RP',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    scope: 'openid read.firstname read.phone'
  }, undefined, { initialAccessToken, execute: [client.allowInsecureRequests] })
  const registered = dcr.clientMetadata()
  assert.match(registered.client_id, /^[0-9a-f-]{36}$/)
  assert.equal(registered.client_secret.length, 64)
  assert.ok(registered.registration_access_token)
  assert.equal(registered.registration_client_uri, `${base}/api/v1/oidc/register/${registered.client_id}`)

  // RFC 7592 read with the registration access token.
  const read = await fetch(registered.registration_client_uri,
    { headers: { Authorization: `Bearer ${registered.registration_access_token}` } })
  assert.equal(read.status, 200)
  assert.deepEqual((await read.json()).redirect_uris, [registeredUri])

  const codeVerifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(dcr, {
    redirect_uri: registeredUri, scope: 'openid read.firstname', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256'
  })
  const callback = await signIn(url, `+7707${String(Date.now()).slice(-7)}`, 'openid-client DCR RP')
  const tokens = await client.authorizationCodeGrant(dcr, callback,
    { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true })
  assert.deepEqual([].concat(tokens.claims().aud), [registered.client_id])
  assert.equal((await client.fetchUserInfo(dcr, tokens.access_token, tokens.claims().sub)).given_name, 'Aruzhan')

  // The initial access token allowed one registration only.
  await assert.rejects(client.dynamicClientRegistration(new URL(base), { redirect_uris: [registeredUri] }, undefined,
    { initialAccessToken, execute: [client.allowInsecureRequests] }))
})

test('device authorization grant: the library initiates and polls, the user approves at /device', async () => {
  const started = await client.initiateDeviceAuthorization(config, { scope: 'openid read.firstname' })
  assert.match(started.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/)
  assert.equal(started.verification_uri, `${base}/device`)
  assert.equal(started.interval, 5)
  // The library waits the interval, answers authorization_pending by polling again, and resolves with the tokens.
  const polling = client.pollDeviceAuthorizationGrant(config, started)

  // The user, on another device: open verification_uri_complete, sign in (a new phone), confirm the code, approve.
  const b = browser()
  const toLogin = await b.request(started.verification_uri_complete)
  assert.equal(toLogin.status, 303)
  const phonePage = await b.request(toLogin.location)
  const phone = `+7707${String(Date.now()).slice(-7)}`
  const codePage = await b.post(phonePage, '/login/phone', { phone, method: 'otp' })
  const [sms] = await (await fetch(`${base}/dev/outbox?to=${encodeURIComponent(phone)}`)).json()
  const signup = await b.post(codePage, '/login/code', { phone, code: sms.code })
  const back = await b.post(signup, '/login/signup', { firstname: 'Dias', lastname: 'Omarov' })
  assert.equal(back.status, 303)
  assert.equal(back.location, `/device?user_code=${started.user_code}`)
  const form = await b.request(back.location)
  assert.match(form.body, new RegExp(`value="${started.user_code}"`))
  const confirm = await b.post(form, '/device', { user_code: started.user_code })
  assert.equal(confirm.status, 200)
  assert.match(confirm.body, /openid-client RP/)
  const done = await b.post(confirm, '/device/decision', { user_code: started.user_code, decision: 'approve' })
  assert.equal(done.status, 303)

  const tokens = await polling
  const claims = tokens.claims()
  assert.equal(claims.iss, base)
  assert.equal(tokens.access_token.length, 128)
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
  assert.equal(info.given_name, 'Dias')
})
