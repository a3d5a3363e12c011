// nodemailer with pool: true and CONNECTIONS connections, sending the .eml as a raw message.
// Usage: node nodemailer_pool.js HOST PORT CONNECTIONS TOTAL EML FROM TO   (NODE_PATH finds nodemailer)
// Prints one JSON line: {"mails": N, "seconds": S}, from the first sendMail to the pool's close.
'use strict';
const fs = require('fs');
const nodemailer = require('nodemailer');

async function main() {
  const [host, port, connections, total, eml, from, to] = process.argv.slice(2);
  const raw = fs.readFileSync(eml);
  const transport = nodemailer.createTransport({
    host, port: Number(port), secure: false, ignoreTLS: true,
    pool: true, maxConnections: Number(connections), maxMessages: Infinity,
  });
  const count = Number(total);
  let next = 0;
  let sent = 0;
  // Twice as many senders as connections keep every connection busy while a reply is handled,
  // without queueing the whole list in memory at once.
  async function lane() {
    while (next < count) {
      next++;
      await transport.sendMail({ envelope: { from, to: [to] }, raw });
      sent++;
    }
  }
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Number(connections) * 2 }, lane));
  transport.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ mails: sent, seconds }));
}

main().catch((e) => { console.error(e); process.exit(1); });
