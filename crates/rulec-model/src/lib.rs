//! The vocabulary of the can-interact data model.
//!
//! Every enum of the scenario format (docs/scenarios.md) (channels, themes, subjects, contact fields, loan and
//! case statuses, consents, …) is defined here once, with the exact spelling of the source API
//! documents. The rule checker resolves identifiers against these lists, the scenario loader
//! deserializes with them, and the evaluator stores them as small integers ([`Vocabulary::index`]).
//!
//! ```
//! use rulec_model::{Channel, Vocabulary};
//! assert_eq!(Channel::from_name("voice"), Some(Channel::Voice));
//! assert_eq!(Channel::Voice.name(), "voice");
//! assert_eq!(rulec_model::suggest("emial", Channel::NAMES), Some("email"));
//! ```

mod schema;
mod set;
mod suggest;

pub use schema::{field, fields, Field, FieldType, Record, RecordField};
pub use set::EnumSet;
pub use suggest::{edit_distance, suggest};

/// A closed list of names from the data model, stored as a small integer.
pub trait Vocabulary: Copy + Eq + Sized + 'static {
    /// Which list this is (used in messages: "expected a channel").
    const KIND: EnumKind;
    /// Every value, in the source document's order.
    const ALL: &'static [Self];
    /// Every name, in the same order as [`Vocabulary::ALL`].
    const NAMES: &'static [&'static str];
    /// The name as the source documents spell it.
    fn name(self) -> &'static str;
    /// The position in [`Vocabulary::ALL`]; stable, below 128.
    fn index(self) -> usize;
    /// Looks a value up by its exact name (aliases included where the source has them).
    fn from_name(name: &str) -> Option<Self>;
    /// The value at a position of [`Vocabulary::ALL`].
    fn from_index(index: usize) -> Option<Self> {
        Self::ALL.get(index).copied()
    }
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident : $kind:ident {
            $( $variant:ident = $text:literal ),+ $(,)?
        }
        $( aliases { $( $alias:literal => $target:ident ),* $(,)? } )?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $variant ),+ }

        impl Vocabulary for $name {
            const KIND: EnumKind = EnumKind::$kind;
            const ALL: &'static [Self] = &[ $( $name::$variant ),+ ];
            const NAMES: &'static [&'static str] = &[ $( $text ),+ ];
            fn name(self) -> &'static str {
                match self { $( $name::$variant => $text ),+ }
            }
            fn index(self) -> usize { self as usize }
            fn from_name(name: &str) -> Option<Self> {
                match name {
                    $( $text => Some($name::$variant), )+
                    $( $( $alias => Some($name::$target), )* )?
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, UnknownName> {
                Self::from_name(s).ok_or_else(|| UnknownName::new(EnumKind::$kind, s))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Self::from_name(&text)
                    .ok_or_else(|| serde::de::Error::custom(UnknownName::new(EnumKind::$kind, &text)))
            }
        }
    };
}

/// Which closed list a name belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnumKind {
    Channel,
    Theme,
    Subject,
    ContactType,
    ContactLabel,
    Affiliation,
    ContactStatus,
    LoanStatus,
    DebtType,
    PersonType,
    CaseType,
    CaseStatus,
    CaseOutcome,
    Direction,
    InteractionStatus,
    ConsentName,
    ConsentValue,
    Role,
    Weekday,
}

impl EnumKind {
    /// Every name of the list.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            EnumKind::Channel => Channel::NAMES,
            EnumKind::Theme => Theme::NAMES,
            EnumKind::Subject => Subject::NAMES,
            EnumKind::ContactType => ContactType::NAMES,
            EnumKind::ContactLabel => ContactLabel::NAMES,
            EnumKind::Affiliation => Affiliation::NAMES,
            EnumKind::ContactStatus => ContactStatus::NAMES,
            EnumKind::LoanStatus => LoanStatus::NAMES,
            EnumKind::DebtType => DebtType::NAMES,
            EnumKind::PersonType => PersonType::NAMES,
            EnumKind::CaseType => CaseType::NAMES,
            EnumKind::CaseStatus => CaseStatus::NAMES,
            EnumKind::CaseOutcome => CaseOutcome::NAMES,
            EnumKind::Direction => Direction::NAMES,
            EnumKind::InteractionStatus => InteractionStatus::NAMES,
            EnumKind::ConsentName => ConsentName::NAMES,
            EnumKind::ConsentValue => ConsentValue::NAMES,
            EnumKind::Role => Role::NAMES,
            EnumKind::Weekday => Weekday::NAMES,
        }
    }

    /// Resolves a name (aliases included) to its index in [`EnumKind::names`].
    pub fn index_of(self, name: &str) -> Option<usize> {
        fn idx<V: Vocabulary>(name: &str) -> Option<usize> {
            V::from_name(name).map(V::index)
        }
        match self {
            EnumKind::Channel => idx::<Channel>(name),
            EnumKind::Theme => idx::<Theme>(name),
            EnumKind::Subject => idx::<Subject>(name),
            EnumKind::ContactType => idx::<ContactType>(name),
            EnumKind::ContactLabel => idx::<ContactLabel>(name),
            EnumKind::Affiliation => idx::<Affiliation>(name),
            EnumKind::ContactStatus => idx::<ContactStatus>(name),
            EnumKind::LoanStatus => idx::<LoanStatus>(name),
            EnumKind::DebtType => idx::<DebtType>(name),
            EnumKind::PersonType => idx::<PersonType>(name),
            EnumKind::CaseType => idx::<CaseType>(name),
            EnumKind::CaseStatus => idx::<CaseStatus>(name),
            EnumKind::CaseOutcome => idx::<CaseOutcome>(name),
            EnumKind::Direction => idx::<Direction>(name),
            EnumKind::InteractionStatus => idx::<InteractionStatus>(name),
            EnumKind::ConsentName => idx::<ConsentName>(name),
            EnumKind::ConsentValue => idx::<ConsentValue>(name),
            EnumKind::Role => idx::<Role>(name),
            EnumKind::Weekday => idx::<Weekday>(name),
        }
    }

    /// The noun used in messages, with its article: "a channel", "an interaction status".
    pub fn describe(self) -> &'static str {
        match self {
            EnumKind::Channel => "a channel",
            EnumKind::Theme => "a theme",
            EnumKind::Subject => "a subject",
            EnumKind::ContactType => "a contact type",
            EnumKind::ContactLabel => "a contact label",
            EnumKind::Affiliation => "an affiliation",
            EnumKind::ContactStatus => "a contact status",
            EnumKind::LoanStatus => "a loan status",
            EnumKind::DebtType => "a debt type",
            EnumKind::PersonType => "a person type",
            EnumKind::CaseType => "a case type",
            EnumKind::CaseStatus => "a case status",
            EnumKind::CaseOutcome => "a case outcome",
            EnumKind::Direction => "a direction",
            EnumKind::InteractionStatus => "an interaction status",
            EnumKind::ConsentName => "a consent name",
            EnumKind::ConsentValue => "a consent value",
            EnumKind::Role => "a company role",
            EnumKind::Weekday => "a day of the week",
        }
    }

    /// Two names for messages ("such as `voice` or `email`").
    pub fn examples(self) -> String {
        let names = self.names();
        match names {
            [] => String::new(),
            [one] => format!("`{one}`"),
            [first, second, ..] => format!("`{first}` or `{second}`"),
        }
    }
}

impl std::fmt::Display for EnumKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.describe();
        f.write_str(text.split_once(' ').map_or(text, |(_, noun)| noun))
    }
}

/// A name that is not in its list; its message carries a did-you-mean where one is close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    pub kind: EnumKind,
    pub name: String,
    pub suggestion: Option<&'static str>,
}

impl UnknownName {
    pub fn new(kind: EnumKind, name: &str) -> Self {
        UnknownName { kind, name: name.to_string(), suggestion: suggest(name, kind.names()) }
    }
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not {}", self.name, self.kind.describe())?;
        match self.suggestion {
            Some(s) => write!(f, ", did you mean `{s}`?"),
            None => write!(f, " (expected one of: {})", self.kind.names().join(", ")),
        }
    }
}

impl std::error::Error for UnknownName {}

vocabulary! {
    /// The channel of a request or a past interaction (`channel`).
    Channel: Channel {
        Voice = "voice", Email = "email", Fax = "fax", Text = "text", Chat = "chat",
        Mail = "mail", Gui = "gui", Document = "document",
    }
}

vocabulary! {
    /// Why an interaction occurs (`theme`).
    Theme: Theme {
        OpsCollDebt = "opsCollDebt",
        OpsCollLocateBorrower = "opsCollLocateBorrower",
        OpsCollVerifyEmployment = "opsCollVerifyEmployment",
        OpsCollContactEmployerNotice = "opsCollContactEmployerNotice",
        OpsLoanTimeBarredNotice = "opsLoanTimeBarredNotice",
        OpsLoanValidationOfDebtNotice = "opsLoanValidationOfDebtNotice",
        OpsServicingDebtValidation = "opsServicingDebtValidation",
        OpsServicingNegativeCreditReportNotice = "opsServicingNegativeCreditReportNotice",
        OpsServicingTimeBarredNotice = "opsServicingTimeBarredNotice",
        OpsServicingVerificationOfDebt = "opsServicingVerificationOfDebt",
        OpsServicing = "opsServicing",
        OpsAccountCredentials = "opsAccountCredentials",
        InbMissingFeature = "inbMissingFeature",
        InbEducation = "inbEducation",
        InbBug = "inbBug",
        InbRequest = "inbRequest",
        InbHumanLove = "inbHumanLove",
        InbUnknown = "inbUnknown",
        InbOther = "inbOther",
    }
}

vocabulary! {
    /// The template an interaction was rendered from (`subject`), as listed by the can-interact
    /// source document.
    Subject: Subject {
        AnnualPrivacyPolicyNotice = "annualPrivacyPolicyNotice",
        AutopayAgreement = "autopayAgreement",
        AutopayAmountChanged = "autopayAmountChanged",
        AutopayCanceledBySystem = "autopayCanceledBySystem",
        AutopayEnabled = "autopayEnabled",
        AutopayEnableReminder = "autopayEnableReminder",
        AutopayPaymentCanceled = "autopayPaymentCanceled",
        AutopayPaymentMethodUpdated = "autopayPaymentMethodUpdated",
        AutopayPaymentReminder = "autopayPaymentReminder",
        AutopayPaymentRescheduled = "autopayPaymentRescheduled",
        CardExpiresReminder = "cardExpiresReminder",
        CaseEscalation = "caseEscalation",
        CeaseCommunicationAcknowledgement = "ceaseCommunicationAcknowledgement",
        CeaseCommunicationRefuseToPay = "ceaseCommunicationRefuseToPay",
        ConfirmationCode = "confirmationCode",
        ContactTakeover = "contactTakeover",
        CreditNegativeInfoReported = "creditNegativeInfoReported",
        CreditPositiveInfoReported = "creditPositiveInfoReported",
        Custom1 = "custom1",
        Custom2 = "custom2",
        Custom3 = "custom3",
        Custom4 = "custom4",
        Custom5 = "custom5",
        Custom6 = "custom6",
        Custom7 = "custom7",
        Custom8 = "custom8",
        Custom9 = "custom9",
        Custom10 = "custom10",
        Custom11 = "custom11",
        Custom12 = "custom12",
        Custom13 = "custom13",
        Custom14 = "custom14",
        Custom15 = "custom15",
        Custom16 = "custom16",
        Custom17 = "custom17",
        Custom18 = "custom18",
        Custom19 = "custom19",
        Custom20 = "custom20",
        DebtValidationNotice = "debtValidationNotice",
        DebtValidationNoticeArizona = "debtValidationNoticeArizona",
        DebtValidationNoticeAutomatic = "debtValidationNoticeAutomatic",
        DebtValidationNoticeNYCYonkers = "debtValidationNoticeNYCYonkers",
        DebtValidationNoticePuertoRico = "debtValidationNoticePuertoRico",
        DeceasedConfirmationOfPayoff = "deceasedConfirmationOfPayoff",
        DeceasedNoticeToRepresentative = "deceasedNoticeToRepresentative",
        DeceasedNotificationUponDeath = "deceasedNotificationUponDeath",
        DisputeOfDebtConfirmed = "disputeOfDebtConfirmed",
        DisputeOfDebtSubmitDocumentation = "disputeOfDebtSubmitDocumentation",
        DisputeOfDebtSubmitDocumentationReminder = "disputeOfDebtSubmitDocumentationReminder",
        DisputeOfDebtUnableToConfirm = "disputeOfDebtUnableToConfirm",
        DisputeOfDebtUnableToResolve = "disputeOfDebtUnableToResolve",
        DocumentUploadFailed = "documentUploadFailed",
        DownpaymentFailed = "downpaymentFailed",
        ElectronicConsentOptOut = "electronicConsentOptOut",
        FreeForm = "freeForm",
        FreeFormBranded = "freeFormBranded",
        FuturepayCanceled = "futurepayCanceled",
        FuturepayPaymentDueReminder = "futurepayPaymentDueReminder",
        IdentityTheftIncompleteDocumentation = "identityTheftIncompleteDocumentation",
        IdentityTheftNotValidated = "identityTheftNotValidated",
        IdentityTheftSubmitDocumentation = "identityTheftSubmitDocumentation",
        IdentityTheftSubmitDocumentationFirstReminder = "identityTheftSubmitDocumentationFirstReminder",
        IdentityTheftSubmitDocumentationSecondReminder = "identityTheftSubmitDocumentationSecondReminder",
        IdentityTheftValidated = "identityTheftValidated",
        LoanAccelerated = "loanAccelerated",
        LoanCanceled = "loanCanceled",
        LoanChargedOffUnsecured = "loanChargedOffUnsecured",
        LoanDetails = "loanDetails",
        LoanFeeCharged = "loanFeeCharged",
        LoanFreeze = "loanFreeze",
        LoanManualPaymentDisclosure = "loanManualPaymentDisclosure",
        LoanOverdueFifthNotice = "loanOverdueFifthNotice",
        LoanOverdueFirstNotice = "loanOverdueFirstNotice",
        LoanOverdueFourthNotice = "loanOverdueFourthNotice",
        LoanOverdueSecondNotice = "loanOverdueSecondNotice",
        LoanOverdueSixthNotice = "loanOverdueSixthNotice",
        LoanOverdueThirdNotice = "loanOverdueThirdNotice",
        LoanPaidOff = "loanPaidOff",
        LoanPaymentScheduleChanged = "loanPaymentScheduleChanged",
        LoanPayoffStatement = "loanPayoffStatement",
        LoanRefundProcessed = "loanRefundProcessed",
        LoanRightToCurePersonalUnsecured = "loanRightToCurePersonalUnsecured",
        LoanTermsChangeAgreement = "loanTermsChangeAgreement",
        LoanUnfreeze = "loanUnfreeze",
        LocCreditLimitChanged = "locCreditLimitChanged",
        LocInterestRateChanged = "locInterestRateChanged",
        LocLineClosed = "locLineClosed",
        LocStatementGenerated = "locStatementGenerated",
        LocStatementRegenerated = "locStatementRegenerated",
        LoginFirstPaymentReminder = "loginFirstPaymentReminder",
        MicrodepositFailed = "microdepositFailed",
        MicrodepositReminder = "microdepositReminder",
        OneTimeCode = "oneTimeCode",
        PaydayConsumerRightsNotice = "paydayConsumerRightsNotice",
        PaydayFirstPaymentWithdrawal = "paydayFirstPaymentWithdrawal",
        PaymentDueDateReminder = "paymentDueDateReminder",
        PaymentFailed = "paymentFailed",
        PaymentProcessing = "paymentProcessing",
        PaymentReversalFailed = "paymentReversalFailed",
        PaymentReversalProcessing = "paymentReversalProcessing",
        PaymentSuccessful = "paymentSuccessful",
        PayoffStatementDocument = "payoffStatementDocument",
        PromoProgramCanceled = "promoProgramCanceled",
        PromoProgramEligibilityAtRisk = "promoProgramEligibilityAtRisk",
        PromoProgramExercised = "promoProgramExercised",
        PromoProgramReminder = "promoProgramReminder",
        ReimbursementFailed = "reimbursementFailed",
        ReimbursementProcessed = "reimbursementProcessed",
        ReimbursementScheduled = "reimbursementScheduled",
        ScraApplicationDenied = "scraApplicationDenied",
        ScraBenefitsApplied = "scraBenefitsApplied",
        ScraBenefitsExpiringNotice = "scraBenefitsExpiringNotice",
        ScraCGFlaggedDocumentRequest = "scraCGFlaggedDocumentRequest",
        ScraServicemanNotifiedDocumentRequest = "scraServicemanNotifiedDocumentRequest",
        SettlementOffer = "settlementOffer",
        SettlementOfferFirstReminder = "settlementOfferFirstReminder",
        Statement = "statement",
        StatementLOC = "statementLOC",
        UnmonitoredEmailAddress = "unmonitoredEmailAddress",
        UpdateBankAccountConnection = "updateBankAccountConnection",
    }
}

impl Subject {
    /// The theme a subject implies when a request names a subject but no theme.
    ///
    /// The source documents state one such implication: the overdue notices
    /// (`loanOverdueFirstNotice` … `loanOverdueSixthNotice`) are debt collection
    /// (`opsCollDebt`). No other subject is given a theme by the source, so none is invented here.
    pub fn implied_theme(self) -> Option<Theme> {
        match self {
            Subject::LoanOverdueFirstNotice
            | Subject::LoanOverdueSecondNotice
            | Subject::LoanOverdueThirdNotice
            | Subject::LoanOverdueFourthNotice
            | Subject::LoanOverdueFifthNotice
            | Subject::LoanOverdueSixthNotice => Some(Theme::OpsCollDebt),
            _ => None,
        }
    }
}

vocabulary! {
    /// `contacts[].contactType`.
    ContactType: ContactType {
        Phone = "phone", Email = "email", Address = "address", WhatsApp = "whatsApp",
        FbMessenger = "fbMessenger",
    }
}

vocabulary! {
    /// `contacts[].label`.
    ContactLabel: ContactLabel { Personal = "personal", Home = "home", Work = "work", Military = "military" }
}

vocabulary! {
    /// `contacts[].affiliation`: whose contact this is.
    Affiliation: Affiliation {
        SelfParty = "self", Spouse = "spouse", Parent = "parent", Guardian = "guardian",
        Executor = "executor", Administrator = "administrator", OtherRelative = "otherRelative",
        Legal = "legal", BusinessOwner = "businessOwner", BusinessExecutive = "businessExecutive",
        BusinessEmployee = "businessEmployee",
    }
}

vocabulary! {
    /// `contacts[].status`.
    ContactStatus: ContactStatus {
        Primary = "primary", Secondary = "secondary", Additional = "additional", Archived = "archived",
    }
}

vocabulary! {
    /// `loans[].status`.
    LoanStatus: LoanStatus {
        Pending = "pending", Originated = "originated", Declined = "declined", Active = "active",
        Frozen = "frozen", Accelerated = "accelerated", ChargedOff = "chargedOff",
        PaidOff = "paidOff", Closed = "closed", Canceled = "canceled",
    }
}

vocabulary! {
    /// `loans[].debtType`.
    DebtType: DebtType { Consumer = "consumer", Student = "student", Business = "business", Mortgage = "mortgage" }
}

vocabulary! {
    /// `borrower.personType`.
    PersonType: PersonType { Person = "person", Business = "business" }
}

vocabulary! {
    /// `cases[].caseType`.
    CaseType: CaseType {
        Bankruptcy = "bankruptcy", Deceased = "deceased", MilitaryDuty = "militaryDuty",
        IdentityTheft = "identityTheft", DisputeOfDebt = "disputeOfDebt",
        CeaseCommunication = "ceaseCommunication", AttorneyRepresentation = "attorneyRepresentation",
        Disaster = "disaster", Complaint = "complaint", Generic = "generic",
    }
}

vocabulary! {
    /// `cases[].status`.
    CaseStatus: CaseStatus {
        Initiated = "initiated", Processing = "processing", Completed = "completed", Canceled = "canceled",
    }
}

vocabulary! {
    /// `cases[].outcome` (absent while the case is undecided).
    CaseOutcome: CaseOutcome { Approved = "approved", Denied = "denied" }
}

vocabulary! {
    /// `interactions[].direction`.
    Direction: Direction { Outbound = "outbound", Inbound = "inbound" }
}

vocabulary! {
    /// `interactions[].status`.
    InteractionStatus: InteractionStatus {
        Attempted = "attempted", Connected = "connected", Delivered = "delivered",
        Failed = "failed", Canceled = "canceled",
    }
}

vocabulary! {
    /// `consents[].name`. The source's prose spells the last one
    /// `contactServicememberUnitOrCommander`; that spelling is accepted as an alias.
    ConsentName: ConsentName {
        ElectronicComms = "electronicComms",
        ContactPersonWork = "contactPersonWork",
        ContactPersonRepByAttorney = "contactPersonRepByAttorney",
        ContactPersonUnusualTime = "contactPersonUnusualTime",
        AutodialedColl = "autodialedColl",
        ExecuteWageAssignment = "executeWageAssignment",
        ContactServicememberUnitCollDebt = "contactServicememberUnitCollDebt",
    }
    aliases { "contactServicememberUnitOrCommander" => ContactServicememberUnitCollDebt }
}

impl ConsentName {
    /// The value a consent has when the borrower's record does not mention it, as the consent
    /// source document states: `electronicComms` and `autodialedColl` default to consented, every
    /// other consent to revoked.
    pub fn default_value(self) -> ConsentValue {
        match self {
            ConsentName::ElectronicComms | ConsentName::AutodialedColl => ConsentValue::Consented,
            _ => ConsentValue::Revoked,
        }
    }
}

vocabulary! {
    /// `consents[].value`.
    ConsentValue: ConsentValue { Consented = "consented", Revoked = "revoked" }
}

vocabulary! {
    /// `company.role`: who is communicating. Rules bind one or more roles.
    Role: Role { Creditor = "creditor", Servicer = "servicer", Collector = "collector" }
}

vocabulary! {
    /// A day of the week, Monday first (ISO 8601 order).
    Weekday: Weekday {
        Monday = "Monday", Tuesday = "Tuesday", Wednesday = "Wednesday", Thursday = "Thursday",
        Friday = "Friday", Saturday = "Saturday", Sunday = "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_list_matches_the_source_document() {
        assert_eq!(Subject::ALL.len(), 120);
        assert_eq!(Subject::from_name("loanOverdueFirstNotice"), Some(Subject::LoanOverdueFirstNotice));
        assert!(Subject::ALL.len() <= 128, "enum sets are 128-bit");
    }

    #[test]
    fn names_round_trip_in_every_list() {
        fn check<V: Vocabulary + std::fmt::Debug>() {
            for (i, v) in V::ALL.iter().enumerate() {
                assert_eq!(v.index(), i);
                assert_eq!(V::from_name(v.name()), Some(*v));
                assert_eq!(V::NAMES[i], v.name());
            }
        }
        check::<Channel>();
        check::<Theme>();
        check::<Subject>();
        check::<ContactType>();
        check::<ContactLabel>();
        check::<Affiliation>();
        check::<ContactStatus>();
        check::<LoanStatus>();
        check::<DebtType>();
        check::<PersonType>();
        check::<CaseType>();
        check::<CaseStatus>();
        check::<CaseOutcome>();
        check::<Direction>();
        check::<InteractionStatus>();
        check::<ConsentName>();
        check::<ConsentValue>();
        check::<Role>();
        check::<Weekday>();
    }

    #[test]
    fn consent_alias_and_defaults() {
        assert_eq!(
            ConsentName::from_name("contactServicememberUnitOrCommander"),
            Some(ConsentName::ContactServicememberUnitCollDebt)
        );
        assert_eq!(ConsentName::AutodialedColl.default_value(), ConsentValue::Consented);
        assert_eq!(ConsentName::ElectronicComms.default_value(), ConsentValue::Consented);
        assert_eq!(ConsentName::ContactPersonWork.default_value(), ConsentValue::Revoked);
    }

    #[test]
    fn unknown_name_suggests_the_closest() {
        let err: UnknownName = "opsColDebt".parse::<Theme>().unwrap_err();
        assert_eq!(err.to_string(), "`opsColDebt` is not a theme, did you mean `opsCollDebt`?");
        let err = "zzz".parse::<Direction>().unwrap_err();
        assert_eq!(err.to_string(), "`zzz` is not a direction (expected one of: outbound, inbound)");
    }

    #[test]
    fn implied_theme_only_where_the_source_says() {
        assert_eq!(Subject::LoanOverdueThirdNotice.implied_theme(), Some(Theme::OpsCollDebt));
        assert_eq!(Subject::AnnualPrivacyPolicyNotice.implied_theme(), None);
    }
}

/// The USPS codes of places a US address's `state` may name: the 50 states, the District of
/// Columbia, the inhabited territories (PR, GU, VI, AS, MP) and the freely associated states
/// the USPS serves as domestic mail (FM Micronesia, MH the Marshall Islands, PW Palau). Each
/// has its time zones in `rulec-time`.
pub const USPS_STATE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP", "FM", "MH", "PW",
];

/// The USPS codes of military mail (AA: the Americas except Canada, AE: Europe, the Middle
/// East, Africa and Canada, AP: the Pacific): valid in a US address, but they name no place, so
/// such an address gives neither a time zone nor a state's jurisdiction.
pub const USPS_MILITARY_CODES: &[&str] = &["AA", "AE", "AP"];

/// The 50 states and DC: the jurisdictions that have a rule file under `rules/states/`.
pub const STATE_JURISDICTIONS: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC",
];

/// The jurisdiction a USPS code names, as the static text of [`STATE_JURISDICTIONS`]; `None`
/// for a territory or an unknown code.
///
/// ```
/// assert_eq!(rulec_model::state_jurisdiction("MA"), Some("MA"));
/// assert_eq!(rulec_model::state_jurisdiction("PR"), None);
/// ```
pub fn state_jurisdiction(code: &str) -> Option<&'static str> {
    // Every code is two bytes: compared as such, not as strings (this runs for every decision).
    let &[a, b] = code.as_bytes() else { return None };
    STATE_JURISDICTIONS.iter().copied().find(|j| j.as_bytes() == [a, b])
}
