//! What a page says an action did (SPEC §8.13): every action ends on a page that
//! confirms it, and the whose-turn line beside it says what comes next. The action's
//! redirect names it by a key in the address (`?klart=…`), never by text, so nothing
//! typed or forged reaches the page through it.

/// An action that ended well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// A co-inspector added.
    MemberAdded,
    /// A contact of the unit added.
    ContactAdded,
    /// A contact removed.
    ContactRemoved,
    /// The preliminary report sent for fact-check.
    SentForFactCheck,
    /// An answer to one of the unit's comments kept.
    CommentAnswered,
    /// The report established.
    Established,
    /// The report opened again.
    ReportReopened,
    /// A review of the plan kept.
    Reviewed,
    /// The plan given back to the unit.
    PlanGivenBack,
    /// An action confirmed as carried out.
    Confirmed,
    /// More asked about an action.
    MoreAsked,
    /// A new version of the questionnaire kept.
    NewVersion,
    /// The unit's link revoked.
    LinkRevoked,
    /// The unit's comment on the preliminary report kept.
    CommentSaved,
    /// The unit's fact-check sent in.
    FactCheckSent,
    /// The unit's report on an action sent.
    ReportSent,
    /// The unit's action plan sent in.
    PlanSubmitted,
    /// The unit's comment taken back, its text in the box again.
    CommentTakenBack,
}

impl Done {
    const ALL: [Done; 18] = [
        Done::MemberAdded,
        Done::ContactAdded,
        Done::ContactRemoved,
        Done::SentForFactCheck,
        Done::CommentAnswered,
        Done::Established,
        Done::ReportReopened,
        Done::Reviewed,
        Done::PlanGivenBack,
        Done::Confirmed,
        Done::MoreAsked,
        Done::NewVersion,
        Done::LinkRevoked,
        Done::CommentSaved,
        Done::FactCheckSent,
        Done::ReportSent,
        Done::PlanSubmitted,
        Done::CommentTakenBack,
    ];

    /// Its key in an address.
    pub fn key(self) -> &'static str {
        match self {
            Done::MemberAdded => "medgranskare",
            Done::ContactAdded => "kontakt",
            Done::ContactRemoved => "kontakt-borttagen",
            Done::SentForFactCheck => "faktagranskning",
            Done::CommentAnswered => "svar",
            Done::Established => "faststalld",
            Done::ReportReopened => "oppnad",
            Done::Reviewed => "granskad",
            Done::PlanGivenBack => "tillbaka",
            Done::Confirmed => "bekraftad",
            Done::MoreAsked => "mer",
            Done::NewVersion => "ny-version",
            Done::LinkRevoked => "lank-aterkallad",
            Done::CommentSaved => "synpunkt",
            Done::FactCheckSent => "inskickad",
            Done::ReportSent => "rapport",
            Done::PlanSubmitted => "plan-inskickad",
            Done::CommentTakenBack => "synpunkt-tillbaka",
        }
    }

    /// The action a key names, if any.
    pub fn from_key(key: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.key() == key)
    }

    /// The action named in a request's query (`klart=…`), if any.
    pub fn from_query(query: Option<&str>) -> Option<Done> {
        query?
            .split('&')
            .find_map(|pair| pair.strip_prefix("klart="))
            .and_then(Done::from_key)
    }

    /// What the page says.
    pub fn message(self) -> &'static str {
        match self {
            Done::MemberAdded => {
                "Medgranskaren är tillagd och ser nu granskningen under Mina granskningar."
            }
            Done::ContactAdded => {
                "Kontaktpersonen är tillagd och får e-post när det blir enhetens tur."
            }
            Done::ContactRemoved => {
                "Kontaktpersonen är borttagen och får ingen mer e-post om granskningen."
            }
            Done::SentForFactCheck => {
                "Den preliminära rapporten är skickad till enheten för faktagranskning."
            }
            Done::CommentAnswered => "Svaret på synpunkten är sparat.",
            Done::Established => "Rapporten är fastställd.",
            Done::ReportReopened => "Rapporten är öppnad igen, och frågeformuläret kan ändras.",
            Done::Reviewed => {
                "Granskningen av handlingsplanen är sparad, och enheten har fått besked."
            }
            Done::PlanGivenBack => "Handlingsplanen är tillbaka hos enheten, med ert skäl.",
            Done::Confirmed => "Åtgärden är bekräftad som genomförd.",
            Done::MoreAsked => "Enheten är ombedd att berätta mer om åtgärden.",
            Done::NewVersion => "Den nya versionen av frågeformuläret är sparad.",
            Done::LinkRevoked => "Enhetens länk är återkallad och fungerar inte längre.",
            Done::CommentSaved => {
                "Synpunkten är sparad. Den skickas till granskarna när ni skickar in faktagranskningen."
            }
            Done::FactCheckSent => {
                "Faktagranskningen är inskickad. Granskarna svarar på varje synpunkt och fastställer sedan rapporten."
            }
            Done::ReportSent => {
                "Rapporten är skickad till granskarna, som bekräftar åtgärden eller ber om mer."
            }
            Done::PlanSubmitted => {
                "Handlingsplanen är inskickad. Granskarna går igenom varje åtgärd och hör av sig."
            }
            Done::CommentTakenBack => {
                "Synpunkten är tagen tillbaka. Texten står i rutan nedan: ändra den och spara den igen, eller töm rutan."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_names_one_action_and_nothing_else_names_any() {
        for done in Done::ALL {
            assert_eq!(Done::from_key(done.key()), Some(done));
            assert!(done.message().ends_with('.'));
        }
        assert_eq!(
            Done::from_query(Some("a=1&klart=faststalld")),
            Some(Done::Established)
        );
        assert_eq!(Done::from_query(Some("klart=<script>")), None);
        assert_eq!(Done::from_query(None), None);
    }
}
