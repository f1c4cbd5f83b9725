package settings

import (
	"context"
	"iter"
	"net/url"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/schema"
)

// UserType selects the users Users lists, by Zoho's type parameter.
type UserType string

// The user types of GET /users.
const (
	AllUsers              UserType = "AllUsers"
	ActiveUsers           UserType = "ActiveUsers"
	DeactiveUsers         UserType = "DeactiveUsers"
	ConfirmedUsers        UserType = "ConfirmedUsers"
	NotConfirmedUsers     UserType = "NotConfirmedUsers"
	DeletedUsers          UserType = "DeletedUsers"
	ActiveConfirmedUsers  UserType = "ActiveConfirmedUsers"
	AdminUsers            UserType = "AdminUsers"
	ActiveConfirmedAdmins UserType = "ActiveConfirmedAdmins"
)

// Users yields the org's users of a type (GET /users?type=…), 200 a
// request, page after page. The first error is yielded once and ends the
// sequence.
func Users(ctx context.Context, c *zohohub.Client, typ UserType) iter.Seq2[schema.User, error] {
	q := url.Values{}
	if typ != "" {
		q.Set("type", string(typ))
	}
	return pages(ctx, c, "users", q, schema.DecodeUsers)
}

// CurrentUser returns the user the client's token belongs to (GET
// /users?type=CurrentUser).
func CurrentUser(ctx context.Context, c *zohohub.Client) (schema.User, error) {
	return one(ctx, c, "users", url.Values{"type": {"CurrentUser"}}, schema.DecodeUsers)
}

// User returns one user by id (GET /users/{id}).
func User(ctx context.Context, c *zohohub.Client, id string) (schema.User, error) {
	return one(ctx, c, "users/"+url.PathEscape(id), nil, schema.DecodeUsers)
}
