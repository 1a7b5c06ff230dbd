/*
 * The patrons' pages' words (pages.c): every sentence in French and in
 * English, in one table, and the language a request asks for. They are
 * here, not in gettext: the language is the request's, and gettext's is
 * the process's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pages_impl.h"
#include "server.h"

static const char *const says[S__COUNT][2] = {
	[S_TITLE_BOOKING] = { "Votre réservation", "Your booking" },
	[S_TITLE_VALIDATE] = { "Valider ma présence",
	    "Validate my presence" },
	[S_WHERE] = { "Où", "Where" },
	[S_WHEN] = { "Quand", "When" },
	[S_STATE] = { "État", "State" },
	[S_CONFIRM_H] = { "Confirmer", "Confirm" },
	[S_CONFIRM_P] = { "C'est votre première réservation : confirmez-la "
	    "avant %s, sinon elle sera annulée et le créneau libéré.",
	    "This is your first booking: confirm it before %s, or it will be "
	    "cancelled and the slot freed." },
	[S_CONFIRM_B] = { "Confirmer ma réservation", "Confirm my booking" },
	[S_PRESENCE_H] = { "Valider ma présence", "Validate my presence" },
	[S_PRESENCE_P] = { "En arrivant, entre %s et %s : tapez le code "
	    "imprimé sous le QR code affiché à l'entrée (ou scannez le QR "
	    "code). Sans validation, la réservation peut être annulée %s "
	    "minutes après le début.",
	    "When you arrive, between %s and %s: type the code printed under "
	    "the QR code at the entrance (or scan the QR code). Without it, "
	    "the booking may be cancelled %s minutes after the start." },
	[S_CODE] = { "Code de la bibliothèque", "The library's code" },
	[S_PRESENCE_B] = { "Valider ma présence", "Validate my presence" },
	[S_CANCEL_H] = { "Annuler", "Cancel" },
	[S_CANCEL_P] = { "Vous ne viendrez pas ? Annulez pour libérer le "
	    "créneau.", "Not coming? Cancel to free the slot for someone "
	    "else." },
	[S_REASON] = { "Un mot pour la bibliothèque (facultatif)",
	    "A word for the library (optional)" },
	[S_CANCEL_B] = { "Annuler ma réservation", "Cancel my booking" },
	[S_VALIDATE_P] = { "Tapez le code imprimé sous le QR code à l'entrée "
	    "et l'adresse e-mail de votre réservation. La présence se valide "
	    "de %s minutes avant le début à %s minutes après.",
	    "Type the code printed under the QR code at the entrance and the "
	    "e-mail address of your booking. Presence is validated from %s "
	    "minutes before the start to %s minutes after." },
	[S_EMAIL] = { "Adresse e-mail de la réservation",
	    "E-mail address of the booking" },
	[S_DESK] = { "Une difficulté ? L'accueil de la bibliothèque peut "
	    "tout faire pour vous : confirmer, annuler, valider votre "
	    "présence.", "Any trouble? The library's desk can do it all for "
	    "you: confirm, cancel, validate your presence." },
	[S_OTHER_LANG] = { "English", "Français" },
	[S_DONE_CONFIRM] = { "Votre réservation est confirmée. Merci !",
	    "Your booking is confirmed. Thank you!" },
	[S_DONE_CANCEL] = { "Votre réservation est annulée : le créneau est "
	    "de nouveau libre.", "Your booking is cancelled: the slot is free "
	    "again." },
	[S_DONE_PRESENT] = { "Présence validée. Bon travail !",
	    "Presence validated. Enjoy your work!" },
	[S_DONE_VALIDATE] = { "Présence validée. Bon travail !",
	    "Presence validated. Enjoy your work!" },
	[S_BAD_LINK] = { "Ce lien n'est pas valable : ouvrez la page depuis "
	    "le lien exact de votre e-mail, ou passez à l'accueil.",
	    "This link is not valid: open the page from the exact link of "
	    "your e-mail, or go to the desk." },
	[S_NO_BOOKING] = { "Cette réservation n'existe pas : ouvrez la page "
	    "depuis le lien exact de votre e-mail, ou passez à l'accueil.",
	    "There is no such booking: open the page from the exact link of "
	    "your e-mail, or go to the desk." },
	[S_BAD_FORM] = { "Ce formulaire a expiré ou ne vient pas de ce site : "
	    "rien n'a été fait. Rechargez la page et recommencez.",
	    "This form has expired or did not come from this site: nothing "
	    "was done. Reload the page and try again." },
	[S_NOT_FORM] = { "Cette adresse attend un formulaire de la page : "
	    "rien n'a été fait. Rechargez la page et recommencez.",
	    "This address takes a form from the page: nothing was done. "
	    "Reload the page and try again." },
	[S_THROTTLED] = { "Trop de demandes depuis votre connexion : "
	    "réessayez dans une heure, ou passez à l'accueil.",
	    "Too many requests from your connection: try again in an hour, "
	    "or go to the desk." },
	[S_UNAVAILABLE] = { "Le service est momentanément indisponible : "
	    "réessayez dans un instant, ou passez à l'accueil.",
	    "The service is unavailable for a moment: try again shortly, or "
	    "go to the desk." },
	[S_TOO_EARLY] = { "Il est trop tôt pour valider votre présence : "
	    "revenez à partir de %s (%s minutes avant le début).",
	    "It is too early to validate your presence: come back from %s "
	    "(%s minutes before the start)." },
	[S_TOO_LATE] = { "Il est trop tard pour valider votre présence ici "
	    "(c'était possible jusqu'à %s) : passez à l'accueil.",
	    "It is too late to validate your presence here (it was possible "
	    "until %s): go to the desk." },
	[S_BAD_CODE_LIB] = { "Ce n'est pas le code de %s : il est imprimé "
	    "sous le QR code, à l'entrée de la bibliothèque. En cas de doute, "
	    "passez à l'accueil.", "This is not the code of %s: it is printed "
	    "under the QR code at the library's entrance. If in doubt, go to "
	    "the desk." },
	[S_BAD_CODE] = { "Ce n'est pas le code d'une bibliothèque : il est "
	    "imprimé sous le QR code, à l'entrée. En cas de doute, passez à "
	    "l'accueil.", "This is not a library's code: it is printed under "
	    "the QR code at the entrance. If in doubt, go to the desk." },
	[S_NOT_CONFIRMED] = { "Confirmez d'abord votre réservation (bouton "
	    "« Confirmer ma réservation »), puis validez votre présence ; ou "
	    "passez à l'accueil.", "Confirm your booking first (the \"Confirm "
	    "my booking\" button), then validate your presence; or go to the "
	    "desk." },
	[S_BAD_STATE] = { "Cette réservation est %s : ce n'est plus possible. "
	    "Pour toute question, passez à l'accueil.", "This booking is %s: "
	    "that is no longer possible. For any question, go to the desk." },
	[S_BAD_TEXT] = { "Votre mot est trop long (240 caractères au plus) "
	    "ou contient des caractères non admis : corrigez-le et "
	    "recommencez.", "Your word is too long (240 characters at most) "
	    "or has characters that are not allowed: correct it and try "
	    "again." },
	[S_BAD_EMAIL] = { "Ce n'est pas une adresse e-mail : vérifiez-la et "
	    "recommencez.", "This is not an e-mail address: check it and try "
	    "again." },
	[S_NOTHING_NOW] = { "Aucune réservation à valider maintenant pour "
	    "cette adresse ici. La présence se valide de %s minutes avant le "
	    "début à %s minutes après, pour une réservation confirmée (une "
	    "première réservation se confirme depuis son e-mail). Sinon, "
	    "passez à l'accueil.", "No booking to validate now for this "
	    "address here. Presence is validated from %s minutes before the "
	    "start to %s minutes after, for a confirmed booking (a first "
	    "booking is confirmed from its e-mail). Otherwise, go to the "
	    "desk." },
	[S_REFUSED] = { "Ce n'a pas pu être fait : passez à l'accueil de la "
	    "bibliothèque.", "That could not be done: go to the library's "
	    "desk." },
	[S_NOT_FOUND] = { "Cette page n'existe pas.",
	    "There is no such page." },
	[S_FINAL] = { "Cette réservation est %s.", "This booking is %s." },
};

const char *
pages_say(enum plang lang, enum say which)
{
	return (says[which][lang]);
}

/* The language: ?lang= (or the form's), else the first of fr and en in
 * Accept-Language by quality, else French. */
enum plang
pages_language(struct request *r, const char *forced)
{
	const char	*al, *p;
	double		 q, q_fr = -1, q_en = -1;
	int		 i, at_fr = 0, at_en = 0;
	char		 tag[16];
	size_t		 n;

	if (forced == NULL)
		forced = http_arg(r, "lang");
	if (forced != NULL && strcmp(forced, "en") == 0)
		return (PLANG_EN);
	if (forced != NULL && strcmp(forced, "fr") == 0)
		return (PLANG_FR);
	al = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	for (p = al, i = 0; p != NULL && *p != '\0' && i < 32; i++) {
		p += strspn(p, " ,");
		n = strcspn(p, " ;,");
		snprintf(tag, sizeof tag, "%.*s", (int)(n < 15 ? n : 15), p);
		p += n;
		p += strspn(p, " ");
		q = 1;
		if (strncmp(p, ";q=", 3) == 0)
			q = strtod(p + 3, NULL);
		p += strcspn(p, ",");
		if (strncasecmp(tag, "fr", 2) == 0 && (tag[2] == '\0' ||
		    tag[2] == '-') && q > q_fr) {
			q_fr = q;
			at_fr = i;
		} else if (strncasecmp(tag, "en", 2) == 0 && (tag[2] == '\0' ||
		    tag[2] == '-') && q > q_en) {
			q_en = q;
			at_en = i;
		}
	}
	/* The better quality; at equal quality, the one named first. */
	if (q_en > 0 && (q_en > q_fr || (q_en == q_fr && at_en < at_fr)))
		return (PLANG_EN);
	return (PLANG_FR);
}
