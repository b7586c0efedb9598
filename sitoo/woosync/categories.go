package woosync

import (
	"fmt"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

func init() {
	steps[StepMatchCategories] = stepDef{run: (*job).matchCategories, estimate: (*job).estimateCategories}
	steps[StepFetchCategories] = stepDef{run: (*job).fetchCategories, estimate: (*job).estimateCategories}
	steps[StepSendCategories] = stepDef{run: (*job).sendCategories, estimate: (*job).estimateCategories}
	steps[StepResyncCategories] = stepDef{run: (*job).resyncCategories, estimate: (*job).estimateCategories}
}

// catKey identifies a category by its parent and its title, case-insensitively: the key used to
// match categories and to find one created before a crash.
type catKey struct {
	parent int64
	title  string
}

func keyOf(parent int64, title string) catKey {
	return catKey{parent, strings.ToLower(strings.TrimSpace(title))}
}

// wooCategories reads every WooCommerce category, parents before children.
func (j *job) wooCategories() ([]woocommerce.Category, error) {
	var all []woocommerce.Category
	for c, err := range j.woo.Categories.All(j.ctx, &woocommerce.CategoryListOptions{ListOptions: woocommerce.ListOptions{PerPage: woocommerce.MaxPerPage}}) {
		if err != nil {
			return nil, fmt.Errorf("woosync: list WooCommerce categories: %w", err)
		}
		all = append(all, c)
	}
	roots, children := woocommerce.CategoryTree(all)
	out := make([]woocommerce.Category, 0, len(all))
	queue := roots
	for len(queue) > 0 {
		c := queue[0]
		queue = append(queue[1:], children[c.ID]...)
		out = append(out, c)
	}
	return out, nil
}

// sitooCategories reads every Sitoo category of the site, parents before children.
func (j *job) sitooCategories() ([]sitoo.Category, error) {
	var all []sitoo.Category
	for c, err := range j.site.Categories.All(j.ctx, nil) {
		if err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	return sitoo.SortCategoriesTopDown(all)
}

func sitooParent(c *sitoo.Category) int64 {
	if c.CategoryParentID == nil {
		return 0
	}
	return *c.CategoryParentID
}

// mappedID returns the other side's id of a mapped item (0 for id 0 or no mapping).
func (j *job) mappedID(kind Kind, id int64, fromWoo bool) (int64, bool, error) {
	if id == 0 {
		return 0, true, nil
	}
	var m Mapping
	var err error
	if fromWoo {
		m, err = j.store.MappingByWoo(j.ctx, kind, id)
	} else {
		m, err = j.store.MappingBySitoo(j.ctx, kind, id)
	}
	switch {
	case err == nil && fromWoo:
		return m.SitooID, true, nil
	case err == nil:
		return m.WooID, true, nil
	case isNoMapping(err):
		return 0, false, nil
	}
	return 0, false, err
}

func (j *job) estimateCategories() (int, error) {
	n, err := j.store.CountMappings(j.ctx, KindCategory)
	return n/100 + 2, err
}

// matchCategories marks Woo and Sitoo categories with the same title under matched parents.
func (j *job) matchCategories() error {
	_, _, err := j.categoryPairs(false, func(sc *sitoo.Category, wooParent int64, woo map[catKey]int64) error {
		if id, ok := woo[keyOf(wooParent, sc.Title)]; ok {
			j.done(1)
			return j.putMapping(Mapping{Kind: KindCategory, WooID: id, SitooID: sc.CategoryID, Key: sc.Title})
		}
		j.skip(1)
		return nil
	})
	return err
}

// categoryPairs walks the Sitoo categories top-down, giving each unmapped one with the Woo id of
// its parent (0: root) and the Woo categories by key. A category whose parent is not mapped is
// skipped, or failed when strict.
func (j *job) categoryPairs(strict bool, fn func(sc *sitoo.Category, wooParent int64, woo map[catKey]int64) error) ([]sitoo.Category, map[catKey]int64, error) {
	wcs, err := j.wooCategories()
	if err != nil {
		return nil, nil, err
	}
	scs, err := j.sitooCategories()
	if err != nil {
		return nil, nil, err
	}
	woo := make(map[catKey]int64, len(wcs))
	for _, c := range wcs {
		woo[keyOf(c.Parent, c.Name)] = c.ID
	}
	j.setTotal(len(scs))
	for i := range scs {
		sc := &scs[i]
		if _, mapped, err := j.mappedID(KindCategory, sc.CategoryID, false); err != nil {
			return nil, nil, err
		} else if mapped {
			j.skip(1)
			continue
		}
		wooParent, parentMapped, err := j.mappedID(KindCategory, sitooParent(sc), false)
		if err != nil {
			return nil, nil, err
		}
		if !parentMapped && !strict {
			j.skip(1)
			continue
		}
		if !parentMapped {
			if err := j.fail(KindCategory, 0, sc.Title, fmt.Errorf("parent category %d is not synced", sitooParent(sc))); err != nil {
				return nil, nil, err
			}
			continue
		}
		if err := fn(sc, wooParent, woo); err != nil {
			return nil, nil, err
		}
	}
	j.report()
	return scs, woo, nil
}

// fetchCategories creates the unmatched Sitoo categories in WooCommerce, parents first. A Woo
// category with the same title under the same parent (one created before a crash) is mapped
// instead of created again.
func (j *job) fetchCategories() error {
	_, _, err := j.categoryPairs(true, func(sc *sitoo.Category, wooParent int64, woo map[catKey]int64) error {
		id, ok := woo[keyOf(wooParent, sc.Title)]
		if !ok {
			c, _, err := j.woo.Categories.Create(j.ctx, &woocommerce.CategoryRequest{Name: &sc.Title, Parent: &wooParent})
			if err != nil {
				return j.fail(KindCategory, 0, sc.Title, err)
			}
			id = c.ID
			woo[keyOf(wooParent, sc.Title)] = id
		}
		j.done(1)
		return j.putMapping(Mapping{Kind: KindCategory, WooID: id, SitooID: sc.CategoryID, Key: sc.Title})
	})
	return err
}

// sendCategories creates the unmatched Woo categories in Sitoo, parents first. A Sitoo category
// with the same title under the same parent is mapped instead of created again.
func (j *job) sendCategories() error {
	wcs, err := j.wooCategories()
	if err != nil {
		return err
	}
	scs, err := j.sitooCategories()
	if err != nil {
		return fmt.Errorf("woosync: list Sitoo categories: %w", err)
	}
	existing := make(map[catKey]int64, len(scs))
	for _, c := range scs {
		existing[keyOf(sitooParent(&c), c.Title)] = c.CategoryID
	}
	j.setTotal(len(wcs))
	for _, wc := range wcs {
		if _, mapped, err := j.mappedID(KindCategory, wc.ID, true); err != nil {
			return err
		} else if mapped {
			j.skip(1)
			continue
		}
		parent, parentMapped, err := j.mappedID(KindCategory, wc.Parent, true)
		if err != nil {
			return err
		}
		if !parentMapped {
			if err := j.fail(KindCategory, wc.ID, wc.Name, fmt.Errorf("parent category %d is not synced", wc.Parent)); err != nil {
				return err
			}
			continue
		}
		id, ok := existing[keyOf(parent, wc.Name)]
		if !ok {
			req := categoryRequest(&wc, parent)
			if id, _, err = j.site.Categories.Create(j.ctx, req); err != nil {
				if err := j.fail(KindCategory, wc.ID, wc.Name, err); err != nil {
					return err
				}
				continue
			}
			existing[keyOf(parent, wc.Name)] = id
		}
		if err := j.putMapping(Mapping{Kind: KindCategory, WooID: wc.ID, SitooID: id, Key: wc.Name}); err != nil {
			return err
		}
		j.done(1)
	}
	j.report()
	return nil
}

func categoryRequest(wc *woocommerce.Category, sitooParent int64) *sitoo.CategoryRequest {
	parent := sitoo.NullID(sitooParent)
	order := int(wc.MenuOrder)
	return &sitoo.CategoryRequest{Title: sitoo.Ptr(wc.Name), CategoryParentID: &parent, SortOrder: &order,
		Friendly: sitoo.Ptr(wc.Slug)}
}

// resyncCategories updates every matched category in Sitoo from WooCommerce.
func (j *job) resyncCategories() error {
	wcs, err := j.wooCategories()
	if err != nil {
		return err
	}
	j.setTotal(len(wcs))
	for _, wc := range wcs {
		id, mapped, err := j.mappedID(KindCategory, wc.ID, true)
		if err != nil {
			return err
		}
		if !mapped {
			j.skip(1)
			continue
		}
		if err := j.sendCategory(&wc, id); err != nil {
			if err := j.fail(KindCategory, wc.ID, wc.Name, err); err != nil {
				return err
			}
			continue
		}
		j.done(1)
	}
	j.report()
	return nil
}

// sendCategory updates one mapped category in Sitoo.
func (j *job) sendCategory(wc *woocommerce.Category, sitooID int64) error {
	parent, ok, err := j.mappedID(KindCategory, wc.Parent, true)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("parent category %d is not synced", wc.Parent)
	}
	if _, err := j.site.Categories.Update(j.ctx, sitooID, categoryRequest(wc, parent)); err != nil {
		return err
	}
	return j.putMapping(Mapping{Kind: KindCategory, WooID: wc.ID, SitooID: sitooID, Key: wc.Name})
}

// putMapping records a mapping synced now.
func (j *job) putMapping(m Mapping) error {
	m.SyncedAt = j.clock()
	if err := j.store.PutMapping(j.ctx, m); err != nil {
		return fmt.Errorf("woosync: record mapping: %w", err)
	}
	return nil
}
