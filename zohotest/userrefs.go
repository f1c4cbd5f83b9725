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

// triggers are the automation names Zoho's "trigger" array takes.
var triggers = []string{"workflow", "approval", "blueprint", "pathfinder", "orchestration"}
