package woocommercetest

import (
	"encoding/json"
	"maps"
	"slices"
)

// state is the store's data. Every access holds Server.mu.
type state struct {
	cfg *config

	nextPost, nextUser, nextTerm, nextItem, nextMeta, nextWebhook, nextComment int64

	orders     map[int64]*order
	refunds    map[int64]*refund
	notes      map[int64]*note
	products   map[int64]*product // variations included: they share the posts' id space; written by putProduct and deleteProduct
	variations map[int64][]int64  // parent product id → its variations' ids, ascending
	skus       map[string][]int64 // SKU → ids of the products that had it, ascending; checked on read
	slugs      map[string][]int64 // slug → ids of the products that had it, ascending; checked on read
	coupons    map[int64]*coupon
	customers  map[int64]*customer
	categories map[int64]*category
	webhooks   map[int64]*webhook
}

// uncategorizedID is the default product category WooCommerce installs.
const uncategorizedID = 15

func newState(cfg *config) *state {
	st := &state{
		cfg:      cfg,
		nextPost: 100, nextUser: 2, nextTerm: uncategorizedID, nextItem: 1, nextMeta: 1000, nextWebhook: 1, nextComment: 1,
		orders: map[int64]*order{}, refunds: map[int64]*refund{}, notes: map[int64]*note{},
		products: map[int64]*product{}, variations: map[int64][]int64{}, skus: map[string][]int64{}, slugs: map[string][]int64{}, coupons: map[int64]*coupon{}, customers: map[int64]*customer{},
		categories: map[int64]*category{}, webhooks: map[int64]*webhook{},
	}
	id := st.newTerm()
	st.categories[id] = &category{id: id, name: "Uncategorized", slug: "uncategorized", display: "default"}
	return st
}

func (st *state) newPost() int64    { st.nextPost++; return st.nextPost - 1 }
func (st *state) newUser() int64    { st.nextUser++; return st.nextUser - 1 }
func (st *state) newTerm() int64    { st.nextTerm++; return st.nextTerm - 1 }
func (st *state) newItem() int64    { st.nextItem++; return st.nextItem - 1 }
func (st *state) newMeta() int64    { st.nextMeta++; return st.nextMeta - 1 }
func (st *state) newWebhook() int64 { st.nextWebhook++; return st.nextWebhook - 1 }
func (st *state) newComment() int64 { st.nextComment++; return st.nextComment - 1 }

// sortedValues returns the map's values ordered by id.
func sortedValues[V any](m map[int64]V) []V {
	ids := slices.Sorted(maps.Keys(m))
	out := make([]V, 0, len(ids))
	for _, id := range ids {
		out = append(out, m[id])
	}
	return out
}

// meta is one meta_data entry; value is any JSON.
type meta struct {
	ID    int64           `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

type metaInput struct {
	ID    int64           `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// updateMeta is WC_Data::update_meta_data for each input: by id when given, else the first entry
// with the key, else a new entry.
func (st *state) updateMeta(list []meta, in []metaInput) []meta {
	if len(in) == 0 {
		return list
	}
	list = slices.Clone(list) // the stored object keeps its own until the change is saved
	for _, m := range in {
		val := m.Value
		if val == nil {
			val = json.RawMessage("null")
		}
		done := false
		for i := range list {
			if (m.ID != 0 && list[i].ID == m.ID) || (m.ID == 0 && list[i].Key == m.Key) {
				list[i].Value = val
				if m.Key != "" {
					list[i].Key = m.Key
				}
				done = true
				break
			}
		}
		if !done && m.Key != "" {
			list = append(list, meta{ID: st.newMeta(), Key: m.Key, Value: val})
		}
	}
	return list
}

// metaOut copies meta_data for a response, which is encoded after the state lock is released.
func metaOut(list []meta) []meta {
	if list == nil {
		return []meta{}
	}
	return slices.Clone(list)
}

// links is the _links member of a resource.
type links map[string][]map[string]string

func (s *Server) links(tls bool, self, collection string, extra ...string) links {
	l := links{
		"self":       {{"href": s.restURL(tls, self)}},
		"collection": {{"href": s.restURL(tls, collection)}},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		l[extra[i]] = []map[string]string{{"href": s.restURL(tls, extra[i+1])}}
	}
	return l
}

// ids returns a non-nil slice for JSON.
func idsOut(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return slices.Clone(ids)
}
