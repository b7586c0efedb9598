package sitootest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/loyalsync/loyalsync/sitoo"
)

// listSites serves GET /sites.json: the account's sites in eshop id order. The fake's site GUIDs
// and addresses are made up ("{00000000-0000-0000-0000-000000000001}", https://store1.mysitoo.com/);
// only eshopid is meaningful, as on Sitoo, where it is the id the site endpoints take.
func (s *Server) listSites(w http.ResponseWriter, r *http.Request, st *state, _ *site, _ params) {
	ids := slices.Sorted(maps.Keys(st.sites))
	out := make([]sitoo.SiteInfo, len(ids))
	for i, id := range ids {
		server := fmt.Sprintf("store%d.mysitoo.com", id)
		out[i] = sitoo.SiteInfo{SiteID: fmt.Sprintf("{00000000-0000-0000-0000-%012d}", id), EshopID: id,
			Protocol: "https", Server: server, AbsPath: "/", SiteURL: "https://" + server + "/"}
	}
	writeEnvelope(w, s.query(r), out)
}
