// Package auth implements Zoho's OAuth 2.0 for zohohub: data centres and
// environments, the authorization URL of the web flow, grant-token exchange
// (self client and web flow), refresh, revoke, the web-flow callback handler,
// and the token cache that serves access tokens to a client.
package auth
