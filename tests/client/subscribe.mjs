// The SPA's live updates through the graphql-ws client library (the reference
// implementation of graphql-transport-ws): connects to the server at process.argv[2]
// (http://host:port) with the token in connectionParams, subscribes to dataChanged since
// the version process.argv[4], and prints the first event as one JSON line; on a refused
// connection it prints the close code and reason. Run by the Rust test `live`.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [address, token, since] = process.argv.slice(2);
const client = createClient({
  url: `${address.replace(/^http/, "ws")}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
  lazy: true,
});
const timer = setTimeout(() => {
  console.log(JSON.stringify({ timeout: true }));
  process.exit(1);
}, 20000);
client.subscribe(
  {
    query: "subscription($since: Int) { dataChanged(since: $since) { dataVersion } }",
    variables: { since: Number(since) },
  },
  {
    next: (result) => {
      console.log(JSON.stringify(result));
      clearTimeout(timer);
      client.dispose().then(() => process.exit(0));
    },
    error: (error) => {
      // A refused connection arrives as the CloseEvent.
      console.log(JSON.stringify({ closed: error?.code ?? null, reason: error?.reason ?? String(error) }));
      clearTimeout(timer);
      process.exit(0);
    },
    complete: () => {},
  },
);
