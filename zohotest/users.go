package zohotest

// usersOfType returns the users GET /users?type=… lists, in metadata
// order; false for a type Zoho does not know. The first user is the
// current user. A user without "confirm" counts as confirmed (spec's
// users accepted their invitations); one without "status" as active.
func usersOfType(users []map[string]any, typ string) ([]map[string]any, bool) {
	status := func(u map[string]any) string {
		if s, ok := u["status"].(string); ok {
			return s
		}
		return "active"
	}
	confirmed := func(u map[string]any) bool { c, ok := u["confirm"].(bool); return !ok || c }
	admin := func(u map[string]any) bool {
		p, _ := u["profile"].(map[string]any)
		return p["name"] == "Administrator"
	}
	var keep func(map[string]any) bool
	switch typ {
	case "", "AllUsers":
		return users, true
	case "CurrentUser":
		return users[:min(1, len(users))], true
	case "ActiveUsers":
		keep = func(u map[string]any) bool { return status(u) == "active" }
	case "DeactiveUsers":
		keep = func(u map[string]any) bool { return status(u) == "disabled" }
	case "DeletedUsers":
		keep = func(u map[string]any) bool { return status(u) == "deleted" }
	case "ConfirmedUsers":
		keep = confirmed
	case "NotConfirmedUsers":
		keep = func(u map[string]any) bool { return !confirmed(u) }
	case "ActiveConfirmedUsers":
		keep = func(u map[string]any) bool { return status(u) == "active" && confirmed(u) }
	case "AdminUsers":
		keep = admin
	case "ActiveConfirmedAdmins":
		keep = func(u map[string]any) bool { return admin(u) && status(u) == "active" && confirmed(u) }
	default:
		return nil, false
	}
	out := []map[string]any{}
	for _, u := range users {
		if keep(u) {
			out = append(out, u)
		}
	}
	return out, true
}
