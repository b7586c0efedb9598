package sitoo

import (
	"context"
	"iter"
)

// SiteInfo is one site (webshop) of the account, as GET /sites.json answers it. Use EshopID where
// the API asks for a site id (client.Site(info.EshopID)); SiteID is the deprecated GUID form.
type SiteInfo struct {
	SiteID   string `json:"siteid,omitempty"`
	EshopID  int64  `json:"eshopid"`
	Protocol string `json:"protocol,omitempty"`
	Server   string `json:"server,omitempty"`
	AbsPath  string `json:"abspath,omitempty"`
	// SiteURL is Protocol + "://" + Server + AbsPath.
	SiteURL string `json:"siteurl,omitempty"`
}

// SitesService lists the sites of the account (GET /sites.json, an account-level resource). Get
// it from Client.Sites.
type SitesService struct {
	c *Client
}

// List returns one page of sites.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/sites
func (s *SitesService) List(ctx context.Context, opts *ListOptions) ([]SiteInfo, *Response, error) {
	items, resp, err := listOne[SiteInfo](ctx, s.c, "sites.json", opts)
	return items, resp, wrapErr("list sites", err)
}

// All iterates over every site.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/sites
func (s *SitesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[SiteInfo, error] {
	return wrapSeq(listAll[SiteInfo](ctx, s.c, "sites.json", opts), "list sites")
}
