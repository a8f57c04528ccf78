// Tokens worldsctl will not make (it always signs "now"), through npm's `paseto` as cached
// by tests/auth/interop.sh; used by auth-*.sh only when that cache exists.
//   node mint.js SECRETFILE KID SUB ISS AUD SHIFT TTL [NBF]
// signs a token whose iat is now + SHIFT seconds (negative: in the past), exp iat + TTL,
// and, with NBF, nbf iat + NBF seconds. Prints the token.
'use strict'
const fs = require('fs')
const { V4 } = require('paseto')

async function main () {
  const [keyfile, kid, sub, iss, aud, shift, ttl, nbf] = process.argv.slice(2)
  if (ttl === undefined) throw new Error('usage: mint.js SECRETFILE KID SUB ISS AUD SHIFT TTL [NBF]')
  const key = fs.readFileSync(keyfile, 'utf8').trim()
  const opts = {
    footer: { kid },
    subject: sub,
    issuer: iss,
    audience: aud,
    jti: 'mint-' + process.pid + '-' + Date.now(),
    now: new Date(Date.now() + Number(shift) * 1000),
    expiresIn: Number(ttl) + ' s'
  }
  if (nbf !== undefined) opts.notBefore = Number(nbf) + ' s'
  process.stdout.write(await V4.sign({}, key, opts) + '\n')
}

main().catch((e) => { process.stderr.write(String(e && e.message) + '\n'); process.exit(1) })
