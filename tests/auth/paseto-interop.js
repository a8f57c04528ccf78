// The independent side of tests/auth/interop.sh, on npm's `paseto` package:
//   node paseto-interop.js sign SECRETFILE KID SUB ISS AUD   -> prints a v4.public token
//   node paseto-interop.js verify PUBLICFILE TOKEN ISS AUD   -> prints {"payload","footer"}
'use strict'
const fs = require('fs')
const { V4 } = require('paseto')

async function main () {
  const [cmd, keyfile, a, b, c, d] = process.argv.slice(2)
  const key = fs.readFileSync(keyfile, 'utf8').trim()
  if (cmd === 'sign') {
    const token = await V4.sign({}, key, {
      footer: { kid: a }, subject: b, issuer: c, audience: d,
      jti: 'node-' + Date.now(), expiresIn: '10 m'
    })
    process.stdout.write(token + '\n')
  } else if (cmd === 'verify') {
    const r = await V4.verify(a, key, { issuer: b, audience: c, complete: true })
    process.stdout.write(JSON.stringify({ payload: r.payload, footer: r.footer.toString() }) + '\n')
  } else {
    throw new Error('sign or verify')
  }
}

main().catch((e) => { process.stderr.write(String(e && e.message) + '\n'); process.exit(1) })
