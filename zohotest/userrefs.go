package zohotest

// Users as record members: Owner, Created_By, Modified_By.

// currentUserRef is the acting user as Zoho names users in answers: one
// map for the server's life, so never modified.
func (s *Server) currentUserRef() map[string]any { return s.me }

// userRef names the user a stored {"id"} reference points to.
func (s *Server) userRef(v any) any {
	ref, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	id, _ := ref["id"].(string)
	out := map[string]any{"id": id, "name": nil}
	if u, ok := s.meta.user(id); ok {
		out["name"] = u["full_name"]
	}
	return out
}

// sameUserRef reports whether a and b are stored {"id"} references to one
// user, so that userRef would name them alike.
func sameUserRef(a, b any) bool {
	x, ok := a.(map[string]any)
	y, ok2 := b.(map[string]any)
	if !ok || !ok2 {
		return false
	}
	xid, ok := x["id"].(string)
	yid, ok2 := y["id"].(string)
	return ok && ok2 && xid == yid
}

// triggers are the automation names Zoho's "trigger" array takes.
var triggers = []string{"workflow", "approval", "blueprint", "pathfinder", "orchestration"}
