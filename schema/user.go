package schema

// User is a user of the organisation as GET /users answers it.
type User struct {
	ID        string `json:"id"`
	FullName  string `json:"full_name"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	// Status is active, disabled or deleted.
	Status string `json:"status"`
	// Confirm: the user accepted the invitation.
	Confirm bool     `json:"confirm"`
	Role    NamedRef `json:"role"`
	Profile NamedRef `json:"profile"`
	// TimeZone is an IANA name such as "Europe/Berlin".
	TimeZone string `json:"time_zone"`
	Locale   string `json:"locale"`
	// ZUID is the user's id across Zoho's products.
	ZUID string `json:"zuid"`
}

// Org is the organisation as GET /org answers it.
type Org struct {
	ID          string `json:"id"`
	CompanyName string `json:"company_name"`
	// DomainName is the org's unique name, such as "org700000000".
	DomainName   string `json:"domain_name"`
	PrimaryEmail string `json:"primary_email"`
	PrimaryZUID  string `json:"primary_zuid"`
	// ZGID is the org id that the bulk write upload needs (X-CRM-ORG).
	ZGID        string `json:"zgid"`
	Country     string `json:"country"`
	CountryCode string `json:"country_code"`
	TimeZone    string `json:"time_zone"`
	// Currency is the home currency, such as "US Dollar - USD"; ISOCode
	// its code, "USD".
	Currency       string `json:"currency"`
	ISOCode        string `json:"iso_code"`
	CurrencySymbol string `json:"currency_symbol"`
	CurrencyLocale string `json:"currency_locale"`
	// Type is Production, Sandbox, Developer or Bigin.
	Type string `json:"type"`
	// MaxPerPage is the most records a page of the records API holds.
	MaxPerPage     int     `json:"max_per_page"`
	LicenseDetails License `json:"license_details"`
}

// License is an organisation's edition and licence.
type License struct {
	Paid bool `json:"paid"`
	// PaidType is the edition, such as standard, professional, enterprise
	// or ultimate.
	PaidType              string `json:"paid_type"`
	UsersLicensePurchased int    `json:"users_license_purchased"`
	TrialType             string `json:"trial_type"`
}
