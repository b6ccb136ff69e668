"""The subscription service's words, per language (the digest's languages).

Kept as data beside community_digest/wording.py, for the same reason: a few dozen
strings that editors can read and change in one place. A missing one is English.
"""

from __future__ import annotations

from collections.abc import Mapping

from community_digest.subscriber_fields import NAME_MAX, FieldProblem

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "check_title": "Check your inbox",
        "check_body": "If {email} can receive the digest, a message with a confirmation link is on its way. "
        "The link works for {hours} hours. Nothing is sent until you confirm.",
        "confirm_title": "Confirm your subscription",
        "confirm_body": "Press the button to start receiving the {site} digest.",
        "confirm_button": "Confirm my subscription",
        "confirmed_title": "You are subscribed",
        "confirmed_body": "The next digest will reach you. You can change what you receive at any time.",
        "bad_link_title": "This link does not work",
        "bad_link_body": "The link is incomplete, has expired or was already used. "
        "Subscribe again from the site to get a new one.",
        "invalid_title": "Please check the form",
        "back": "Back to {site}",
        "prefs_title": "Your digest",
        "prefs_intro": "Choose how the digest reaches {email}.",
        "prefs_inactive": "You are not receiving the digest at the moment; subscribe again from the site to resume.",
        "language": "Language",
        "topics": "Topics (none chosen: everything)",
        "frequency": "How often",
        "weekly": "Weekly",
        "monthly": "Monthly",
        "quarterly": "Quarterly",
        "save": "Save my choices",
        "saved_title": "Your choices are saved",
        "saved_body": "They apply from the next digest; one already being sent is not changed.",
        "unsubscribe_title": "Unsubscribe",
        "unsubscribe_body": "Press the button to stop receiving the {site} digest.",
        "unsubscribe_button": "Unsubscribe",
        "unsubscribed_title": "You are unsubscribed",
        "unsubscribed_body": "You will receive no more digests. You can subscribe again from the site at any time.",
        "erase_button": "Erase everything you hold about me",
        "erase_note": "This deletes your address, name and choices for good.",
        "erased_title": "Your data is erased",
        "erased_body": "We hold nothing about you any more, apart from anonymous counts of past sends.",
        "prefs_link": "Change what you receive",
        "busy_title": "Please try again later",
        "busy_body": "Too many requests came from your connection; wait a few minutes and try again.",
        "refused_title": "Request refused",
        "refused_body": "This form can only be sent from {site}.",
        "unavailable_title": "Please try again later",
        "unavailable_body": "We could not send the confirmation message just now. Nothing was changed.",
        "mail_confirm_subject": "Confirm your subscription to the {site} digest",
        "mail_confirm_body": "Hello{name},\n\nsomeone (we hope you) asked to receive the {site} digest at this "
        "address. To confirm, open this link and press the button:\n\n{link}\n\nThe link works for {hours} "
        "hours. If you did not ask for it, ignore this message: nothing will be sent.",
        "mail_known_subject": "Your subscription to the {site} digest",
        "mail_known_body": "Hello{name},\n\nsomeone (we hope you) asked to subscribe this address to the {site} "
        "digest, which it already receives. To change what you receive, or to unsubscribe:\n\n{link}\n",
        "problem": "{field}: expected {expected}, got {found}",
        "field_email": "email",
        "field_name": "name",
        "field_topics": "topics",
        "field_frequency": "frequency",
        "expected_email": "an e-mail address like name@example.org",
        "expected_name": "a name on one line, at most {max} characters",
        "expected_topics": "topics of the hub",
        "expected_frequency": "weekly, monthly or quarterly",
        "quoted": "“{value}”",
        "nothing": "nothing",
        "too_large_body": "The form sent more than it should; shorten what you typed and try again.",
    },
    "fr": {
        "check_title": "Consultez votre boîte de réception",
        "check_body": "Si {email} peut recevoir la lettre, un message avec un lien de confirmation est en route. "
        "Le lien est valable {hours} heures. Rien n'est envoyé avant votre confirmation.",
        "confirm_title": "Confirmez votre abonnement",
        "confirm_body": "Appuyez sur le bouton pour recevoir la lettre de {site}.",
        "confirm_button": "Confirmer mon abonnement",
        "confirmed_title": "Vous êtes abonné·e",
        "confirmed_body": "La prochaine lettre vous parviendra. Vous pouvez changer vos choix à tout moment.",
        "bad_link_title": "Ce lien ne fonctionne pas",
        "bad_link_body": "Le lien est incomplet, a expiré ou a déjà servi. "
        "Abonnez-vous à nouveau depuis le site pour en recevoir un autre.",
        "invalid_title": "Vérifiez le formulaire",
        "back": "Retour à {site}",
        "prefs_title": "Votre lettre",
        "prefs_intro": "Choisissez comment la lettre parvient à {email}.",
        "prefs_inactive": "Vous ne recevez pas la lettre en ce moment ; abonnez-vous à nouveau depuis le site.",
        "language": "Langue",
        "topics": "Thèmes (aucun choisi : tous)",
        "frequency": "Fréquence",
        "weekly": "Chaque semaine",
        "monthly": "Chaque mois",
        "quarterly": "Chaque trimestre",
        "save": "Enregistrer mes choix",
        "saved_title": "Vos choix sont enregistrés",
        "saved_body": "Ils s'appliquent dès la prochaine lettre ; un envoi déjà commencé ne change pas.",
        "unsubscribe_title": "Se désabonner",
        "unsubscribe_body": "Appuyez sur le bouton pour ne plus recevoir la lettre de {site}.",
        "unsubscribe_button": "Me désabonner",
        "unsubscribed_title": "Vous êtes désabonné·e",
        "unsubscribed_body": "Vous ne recevrez plus la lettre. Vous pouvez vous réabonner depuis le site.",
        "erase_button": "Effacer tout ce que vous savez de moi",
        "erase_note": "Votre adresse, votre nom et vos choix sont supprimés définitivement.",
        "erased_title": "Vos données sont effacées",
        "erased_body": "Nous ne gardons plus rien sur vous, hormis des comptes anonymes des envois passés.",
        "prefs_link": "Modifier vos choix",
        "busy_title": "Réessayez plus tard",
        "busy_body": "Trop de demandes venant de votre connexion ; attendez quelques minutes.",
        "refused_title": "Demande refusée",
        "refused_body": "Ce formulaire ne peut être envoyé que depuis {site}.",
        "unavailable_title": "Réessayez plus tard",
        "unavailable_body": "Le message de confirmation n'a pas pu partir. Rien n'a été modifié.",
        "mail_confirm_subject": "Confirmez votre abonnement à la lettre de {site}",
        "mail_confirm_body": "Bonjour{name},\n\nquelqu'un (vous, nous l'espérons) a demandé à recevoir la lettre "
        "de {site} à cette adresse. Pour confirmer, ouvrez ce lien et appuyez sur le bouton :\n\n{link}\n\n"
        "Le lien est valable {hours} heures. Si ce n'était pas vous, ignorez ce message : rien ne sera envoyé.",
        "mail_known_subject": "Votre abonnement à la lettre de {site}",
        "mail_known_body": "Bonjour{name},\n\nquelqu'un (vous, nous l'espérons) a demandé à abonner cette adresse "
        "à la lettre de {site}, qu'elle reçoit déjà. Pour changer vos choix ou vous désabonner :\n\n{link}\n",
        "problem": "{field} : il faut {expected} (reçu : {found})",
        "field_email": "Adresse e-mail",
        "field_name": "Nom",
        "field_topics": "Thèmes",
        "field_frequency": "Fréquence",
        "expected_email": "une adresse comme nom@exemple.org",
        "expected_name": "un nom sur une ligne, de {max} caractères au plus",
        "expected_topics": "des thèmes du hub",
        "expected_frequency": "chaque semaine, chaque mois ou chaque trimestre",
        "quoted": "« {value} »",
        "nothing": "rien",
        "too_large_body": "Le formulaire envoyé est trop long ; raccourcissez votre saisie et réessayez.",
    },
    "de": {
        "check_title": "Bitte prüfen Sie Ihr Postfach",
        "check_body": "Wenn {email} den Digest erhalten kann, ist eine Nachricht mit einem Bestätigungslink "
        "unterwegs. Der Link gilt {hours} Stunden. Vor Ihrer Bestätigung wird nichts gesendet.",
        "confirm_title": "Abonnement bestätigen",
        "confirm_body": "Drücken Sie die Schaltfläche, um den Digest von {site} zu erhalten.",
        "confirm_button": "Abonnement bestätigen",
        "confirmed_title": "Sie haben abonniert",
        "confirmed_body": "Der nächste Digest erreicht Sie. Ihre Auswahl können Sie jederzeit ändern.",
        "bad_link_title": "Dieser Link funktioniert nicht",
        "bad_link_body": "Der Link ist unvollständig, abgelaufen oder wurde schon benutzt. "
        "Abonnieren Sie erneut auf der Website, um einen neuen zu erhalten.",
        "invalid_title": "Bitte prüfen Sie das Formular",
        "back": "Zurück zu {site}",
        "prefs_title": "Ihr Digest",
        "prefs_intro": "Wählen Sie, wie der Digest {email} erreicht.",
        "prefs_inactive": "Sie erhalten den Digest derzeit nicht; abonnieren Sie erneut auf der Website.",
        "language": "Sprache",
        "topics": "Themen (keine Auswahl: alle)",
        "frequency": "Wie oft",
        "weekly": "Wöchentlich",
        "monthly": "Monatlich",
        "quarterly": "Vierteljährlich",
        "save": "Auswahl speichern",
        "saved_title": "Ihre Auswahl ist gespeichert",
        "saved_body": "Sie gilt ab dem nächsten Digest; ein schon begonnener Versand ändert sich nicht.",
        "unsubscribe_title": "Abmelden",
        "unsubscribe_body": "Drücken Sie die Schaltfläche, um den Digest von {site} nicht mehr zu erhalten.",
        "unsubscribe_button": "Abmelden",
        "unsubscribed_title": "Sie sind abgemeldet",
        "unsubscribed_body": "Sie erhalten keinen Digest mehr. Sie können jederzeit erneut abonnieren.",
        "erase_button": "Alles über mich löschen",
        "erase_note": "Adresse, Name und Auswahl werden endgültig gelöscht.",
        "erased_title": "Ihre Daten sind gelöscht",
        "erased_body": "Wir speichern nichts mehr über Sie, außer anonymen Zahlen früherer Versände.",
        "prefs_link": "Auswahl ändern",
        "busy_title": "Bitte später erneut versuchen",
        "busy_body": "Zu viele Anfragen von Ihrer Verbindung; warten Sie ein paar Minuten.",
        "refused_title": "Anfrage abgelehnt",
        "refused_body": "Dieses Formular kann nur von {site} gesendet werden.",
        "unavailable_title": "Bitte später erneut versuchen",
        "unavailable_body": "Die Bestätigungsnachricht konnte gerade nicht gesendet werden. Nichts wurde geändert.",
        "mail_confirm_subject": "Bestätigen Sie Ihr Abonnement des Digests von {site}",
        "mail_confirm_body": "Hallo{name},\n\njemand (hoffentlich Sie) möchte den Digest von {site} an diese "
        "Adresse erhalten. Zum Bestätigen öffnen Sie diesen Link und drücken die Schaltfläche:\n\n{link}\n\n"
        "Der Link gilt {hours} Stunden. Wenn Sie das nicht waren, ignorieren Sie diese Nachricht.",
        "mail_known_subject": "Ihr Abonnement des Digests von {site}",
        "mail_known_body": "Hallo{name},\n\njemand (hoffentlich Sie) wollte diese Adresse für den Digest von "
        "{site} anmelden, den sie schon erhält. Auswahl ändern oder abmelden:\n\n{link}\n",
        "problem": "{field}: erwartet wird {expected} (erhalten: {found})",
        "field_email": "E-Mail-Adresse",
        "field_name": "Name",
        "field_topics": "Themen",
        "field_frequency": "Häufigkeit",
        "expected_email": "eine Adresse wie name@beispiel.de",
        "expected_name": "ein Name in einer Zeile, höchstens {max} Zeichen",
        "expected_topics": "Themen des Hubs",
        "expected_frequency": "wöchentlich, monatlich oder vierteljährlich",
        "quoted": "„{value}“",
        "nothing": "nichts",
        "too_large_body": "Das Formular war zu lang; kürzen Sie Ihre Eingaben und versuchen Sie es erneut.",
    },
    "pt": {
        "check_title": "Verifique a sua caixa de entrada",
        "check_body": "Se {email} puder receber o boletim, uma mensagem com um link de confirmação está a "
        "caminho. O link vale {hours} horas. Nada é enviado antes da sua confirmação.",
        "confirm_title": "Confirme a sua inscrição",
        "confirm_body": "Carregue no botão para receber o boletim do {site}.",
        "confirm_button": "Confirmar a inscrição",
        "confirmed_title": "Está inscrito",
        "confirmed_body": "O próximo boletim chegará até si. Pode mudar as suas escolhas a qualquer momento.",
        "bad_link_title": "Este link não funciona",
        "bad_link_body": "O link está incompleto, expirou ou já foi usado. Inscreva-se de novo no site para "
        "receber outro.",
        "invalid_title": "Verifique o formulário",
        "back": "Voltar ao {site}",
        "prefs_title": "O seu boletim",
        "prefs_intro": "Escolha como o boletim chega a {email}.",
        "prefs_inactive": "Não está a receber o boletim neste momento; inscreva-se de novo no site.",
        "language": "Língua",
        "topics": "Temas (nenhum escolhido: todos)",
        "frequency": "Frequência",
        "weekly": "Semanal",
        "monthly": "Mensal",
        "quarterly": "Trimestral",
        "save": "Guardar as minhas escolhas",
        "saved_title": "As suas escolhas foram guardadas",
        "saved_body": "Aplicam-se a partir do próximo boletim; um envio já iniciado não muda.",
        "unsubscribe_title": "Cancelar inscrição",
        "unsubscribe_body": "Carregue no botão para deixar de receber o boletim do {site}.",
        "unsubscribe_button": "Cancelar inscrição",
        "unsubscribed_title": "A sua inscrição foi cancelada",
        "unsubscribed_body": "Não receberá mais boletins. Pode inscrever-se de novo no site quando quiser.",
        "erase_button": "Apagar tudo o que têm sobre mim",
        "erase_note": "O seu endereço, nome e escolhas são apagados definitivamente.",
        "erased_title": "Os seus dados foram apagados",
        "erased_body": "Já não guardamos nada sobre si, além de contagens anónimas de envios passados.",
        "prefs_link": "Mudar as suas escolhas",
        "busy_title": "Tente mais tarde",
        "busy_body": "Demasiados pedidos da sua ligação; espere alguns minutos.",
        "refused_title": "Pedido recusado",
        "refused_body": "Este formulário só pode ser enviado a partir do {site}.",
        "unavailable_title": "Tente mais tarde",
        "unavailable_body": "Não foi possível enviar a mensagem de confirmação agora. Nada foi alterado.",
        "mail_confirm_subject": "Confirme a sua inscrição no boletim do {site}",
        "mail_confirm_body": "Olá{name},\n\nalguém (esperamos que tenha sido você) pediu para receber o boletim "
        "do {site} neste endereço. Para confirmar, abra este link e carregue no botão:\n\n{link}\n\n"
        "O link vale {hours} horas. Se não foi você, ignore esta mensagem: nada será enviado.",
        "mail_known_subject": "A sua inscrição no boletim do {site}",
        "mail_known_body": "Olá{name},\n\nalguém (esperamos que tenha sido você) pediu para inscrever este "
        "endereço no boletim do {site}, que ele já recebe. Para mudar as suas escolhas ou cancelar:\n\n{link}\n",
        "problem": "{field}: é preciso {expected} (recebido: {found})",
        "field_email": "Endereço de e-mail",
        "field_name": "Nome",
        "field_topics": "Temas",
        "field_frequency": "Frequência",
        "expected_email": "um endereço como nome@exemplo.pt",
        "expected_name": "um nome numa só linha, com {max} caracteres no máximo",
        "expected_topics": "temas do hub",
        "expected_frequency": "semanal, mensal ou trimestral",
        "quoted": "«{value}»",
        "nothing": "nada",
        "too_large_body": "O formulário enviado é demasiado longo; encurte o que escreveu e tente de novo.",
    },
}
LANGUAGES = tuple(TEXTS)


def texts(language: str) -> Mapping[str, str]:
    """The words for `language`, English where one is missing."""
    return {**TEXTS["en"], **TEXTS.get(language, {})}


def problem_text(problem: FieldProblem, language: str) -> str:
    """A form error in the visitor's language: the field, what it takes and what was sent."""
    words = texts(language)
    found = words["quoted"].format(value=problem.found[:80]) if problem.found else words["nothing"]
    expected = words[f"expected_{problem.field}"].format(max=NAME_MAX)
    return words["problem"].format(field=words[f"field_{problem.field}"], expected=expected, found=found)


def best_language(accept: str, default: str) -> str:
    """The first of the service's languages named in an Accept-Language header, else `default`."""
    for part in accept.split(",")[:20]:
        code = part.split(";")[0].strip().lower()[:2]
        if code in TEXTS:
            return code
    return default if default in TEXTS else "en"
