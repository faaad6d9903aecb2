// A real OpenID provider (npm oidc-provider) for tests/api/oidc.rs: it serves over https on
// loopback and issues JWT access tokens by the client credentials grant.
//
//   node provider.mjs <port> <tls-cert.pem> <tls-key.pem> <signing-key.pem>...
//
// Each signing key is a PEM private key; its kid is the file name without `.pem`. The first
// key signs, all of them are published at /jwks, so a test rotates keys by restarting the
// provider with another list. When it listens, the provider prints `listening <issuer>`.

import { readFileSync } from 'node:fs';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import { basename } from 'node:path';

import Provider from 'oidc-provider';

const [port, certFile, keyFile, ...signingFiles] = process.argv.slice(2);
if (!port || !certFile || !keyFile || signingFiles.length === 0) {
  console.error('usage: node provider.mjs <port> <tls-cert.pem> <tls-key.pem> <signing-key.pem>...');
  process.exit(2);
}
const issuer = `https://127.0.0.1:${port}`;
const resource = 'urn:digidash';

const keys = signingFiles.map((file) => ({
  ...createPrivateKey(readFileSync(file)).export({ format: 'jwk' }),
  kid: basename(file, '.pem'),
  use: 'sig',
  alg: 'RS256',
}));

// The claims digidash maps (JWT_ROLE_CLAIM=digidash.roles, ...), per client, in a nested
// object with the provider's own role names, as a Keycloak mapper would put them.
const claims = {
  'rat-aachen': { roles: ['offline_access', 'rat'], tenant: 'aachen' },
  'fb15-aachen': { roles: ['fachbereich'], tenant: 'aachen', org_unit: 'FB 15' },
};

const provider = new Provider(issuer, {
  clients: Object.keys(claims).map((client_id) => ({
    client_id,
    client_secret: `${client_id}-secret`,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
  })),
  jwks: { keys },
  // Only the token endpoint is used, but the provider wants keys for its cookies.
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: resource,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 600,
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => ({ digidash: claims[token.clientId] }),
});

const server = createServer(
  { cert: readFileSync(certFile), key: readFileSync(keyFile) },
  provider.callback(),
);
// The test stops the provider with SIGKILL, which frees the port for the next start at once.
server.listen(Number(port), '127.0.0.1', () => console.log(`listening ${issuer}`));
