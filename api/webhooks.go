package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// handleCreateWebhook registers a webhook for the calling ministry. The
// URL must not point into a private network (SSRF), and the signing secret
// is shown only in this response.
func (s *Server) handleCreateWebhook() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		var in sankofa.WebhookRequest
		if err := bind(c, &in); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if err := s.deps.WebhookURLs.CheckURL(ctx, in.URL); err != nil {
			return err
		}
		h := sankofa.Webhook{ID: sankofa.NewID("wh"), AccountID: principal(c).ID, URL: in.URL, Events: in.Events,
			Secret: sankofa.NewWebhookSecret(), CreatedAt: s.now().UTC()}
		if err := s.deps.Webhooks.AddWebhook(ctx, h); err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, h)
	}
}

// handleListWebhooks lists the caller's webhooks without their secrets.
func (s *Server) handleListWebhooks() echo.HandlerFunc {
	return func(c echo.Context) error {
		hooks, err := s.deps.Webhooks.Webhooks(c.Request().Context(), principal(c).ID)
		if err != nil {
			return err
		}
		out := make([]sankofa.Webhook, len(hooks))
		for i, h := range hooks {
			out[i] = h.Redacted()
		}
		return c.JSON(http.StatusOK, newList(out, ""))
	}
}

// handleDeleteWebhook removes one of the caller's webhooks.
func (s *Server) handleDeleteWebhook() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.deps.Webhooks.DeleteWebhook(c.Request().Context(), principal(c).ID, c.Param("id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}
