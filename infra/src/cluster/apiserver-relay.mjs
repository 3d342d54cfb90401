// A TCP relay, started with the local node (dns.ts): `node apiserver-relay.mjs <listen-host> <listen-port>
// <target-host> <target-port>`. The API server listens on the machine's loopback only; pods reach it
// as in any cluster, through the `kubernetes` Service, whose endpoint is this relay on the node's
// address on the pods' bridge. NetworkPolicies apply to pods' connections to it as to any other.

import { connect, createServer } from "node:net";

const [listenHost, listenPort, targetHost, targetPort] = process.argv.slice(2);
const server = createServer((client) => {
  const upstream = connect(Number(targetPort), targetHost);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", close);
  upstream.on("close", close);
});
server.listen(Number(listenPort), listenHost, () => console.log(`relaying ${listenHost}:${listenPort} to ${targetHost}:${targetPort}`));
