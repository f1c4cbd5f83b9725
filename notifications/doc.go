// Package notifications subscribes to Zoho CRM's notifications (the
// actions/watch API) and receives them: Zoho POSTs a small JSON body to a
// URL of the application whenever records of a watched module are
// created, edited or deleted, naming the module, the operation and the
// record ids (docs/notifications.md; Zoho's notifications.json in
// spec/oas).
//
// Three parts, usable alone or together:
//
//   - Client enables, lists, renews (PUT) and disables channels through a
//     *zohohub.Client.
//   - Keeper keeps one channel alive: it enables it, renews it before its
//     expiry (at most a week ahead, Zoho's limit), enables it again if Zoho
//     dropped it, and disables it when its context ends.
//   - Handler is the http.Handler at the notify URL: it checks the
//     channel's token in constant time, bounds and validates the body, and
//     hands typed Events to the application, answering 200 at once so that
//     Zoho does not retry.
package notifications
