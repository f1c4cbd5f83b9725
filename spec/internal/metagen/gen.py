# Writes spec/metadata: Zoho CRM v8 metadata responses (modules, fields,
# layouts, related lists, users, org) for the standard modules and the custom
# module Projects.
#
# Sources of the standard field lists (API names, data types, mandatory flags):
#  - Zoho's JS SDK field constants (record/field.js, class Field: one nested
#    class per standard module: Leads, Contacts, Accounts, Deals, Tasks,
#    Events, Calls, Products, Campaigns, Vendors, Notes, ...).
#  - Zoho's v8 OpenAPI example corpus for GET /settings/layouts (the Events
#    "Meeting Information" section: Event_Title, Venue, All_day,
#    Start_DateTime, End_DateTime, Owner, Description, Participants
#    (data_type bigint, json_type jsonarray), Remind_Participants and Remind_At
#    (multireminder), Tag, Who_Id (lookup Contacts, "Contact Name"),
#    Recurring_Activity (RRULE) and What_Id: data_type lookup whose
#    lookup.module.api_name is "se_module", the multi-module "Related To").
#  - zoho.com/crm/developer/docs/api/v2/events-response.html (Check_In_*
#    fields, Participants shape), .../v2/calls-response.html and Kaizen #38
#    "Calls API" (Call_Type Outbound/Inbound/Missed, Call_Start_Time,
#    Call_Duration "mm:ss", mandatory only for completed calls, Call_Purpose,
#    Call_Agenda, Call_Result, Call_Status, Who_Id, What_Id with $se_module),
#    Kaizen #8 (Events recurrence and participants).
#  - Zoho's v8 OpenAPI notes.json (Note: Note_Title, Note_Content, Parent_Id
#    {module, id, name}, Owner and the system fields) and the Create Notes
#    page (POST /Notes, POST /{module}/{id}/Notes).
#  - Leads' "Title" is the API name Designation (SDK constants); it was
#    wrongly written Title before.
# Picklist values are Zoho's defaults where documented; a real org may differ.
import json, os, hashlib
import sys
out = sys.argv[1] if len(sys.argv) > 1 else 'spec/metadata'
os.makedirs(out+'/fields', exist_ok=True); os.makedirs(out+'/layouts', exist_ok=True); os.makedirs(out+'/related_lists', exist_ok=True)
def fid(*parts):
    h = int(hashlib.sha1('/'.join(parts).encode()).hexdigest(), 16) % 10**6
    return str(5725767000000000000 + h)
JSON = {'text':'string','textarea':'string','email':'string','phone':'string','website':'string','picklist':'string','date':'string','datetime':'string','autonumber':'string','bigint':'string','integer':'integer','double':'double','currency':'double','percent':'double','decimal':'double','boolean':'boolean','lookup':'jsonobject','ownerlookup':'jsonobject','userlookup':'jsonobject','multiselectpicklist':'jsonarray','fileupload':'jsonarray','imageupload':'jsonarray','formula':'double','multireminder':'jsonarray','RRULE':'jsonobject','event_reminder':'string'}
INDUSTRY = ['-None-','ASP (Application Service Provider)','Data/Telecom OEM','ERP (Enterprise Resource Planning)','Government/Military','Large Enterprise','ManagementISV','MSP (Management Service Provider)','Network Equipment Enterprise','Non-management ISV','Optical Networking','Service Provider','Small/Medium Enterprise','Storage Equipment','Storage Service Provider','Systems Integrator','Wireless Industry']
def field(mod, api, dt, label=None, length=None, mandatory=False, ro=False, unique=False, custom=False, picks=None, lookup=None, display=None, json_type=None, multi=False):
    # multi marks a multi-module lookup (What_Id, Parent_Id): Zoho writes it
    # as data_type lookup whose lookup module is "se_module"; the record's
    # $se_module names the module of the record it points to.
    f = {'id': fid(mod, api), 'api_name': api, 'field_label': label or api.replace('_',' '), 'display_label': display or label or api.replace('_',' '),
         'data_type': dt, 'json_type': json_type or JSON.get(dt,'string'), 'length': length or {'text':255,'email':100,'phone':30,'website':255,'textarea':32000,'integer':9,'bigint':18,'currency':16,'double':16,'percent':5,'decimal':16}.get(dt, 255),
         'decimal_place': 2 if dt in ('currency','decimal') else None, 'read_only': ro, 'field_read_only': ro, 'system_mandatory': mandatory,
         'custom_field': custom, 'visible': True, 'searchable': dt not in ('fileupload','imageupload','formula'), 'sortable': True, 'filterable': True,
         'unique': {'casesensitive': 'false'} if unique else {}, 'pick_list_values': [], 'lookup': {}, 'multiselectlookup': {}, 'subform': None,
         'formula': {}, 'auto_number': {}, 'textarea': {'type':'large'} if dt=='textarea' else None, 'currency': {'rounding_option':'normal','precision':2} if dt=='currency' else {}}
    if picks:
        f['pick_list_values'] = [{'display_value': p, 'actual_value': p, 'id': fid(mod, api, p), 'sequence_number': i+1, 'type':'used', 'colour_code': None} for i,p in enumerate(picks)]
    if lookup:
        f['lookup'] = {'module': {'api_name': lookup, 'id': fid('module', lookup)}, 'display_label': label or api, 'api_name': api, 'id': fid(mod, api, 'lookup')}
    if multi:
        f['lookup'] = {'display_label': 'activities' if api == 'What_Id' else 'notes', 'api_name': None, 'module': {'api_name': 'se_module'}, 'id': None}
    return f
# The keys every v8 field object carries besides those field() writes
# (fields.json's fields schema, api-notes §5.2), with the values a
# standard org answers: objects that describe a kind of field a field is
# not (associated_module, sub_module, refer_from_field, external, crypt,
# tooltip, history_tracking, association_details, hipaa_compliance,
# sharing_properties, and textarea for a field that is not a textarea)
# are null, as Zoho sends them.
UI_TYPE = {'text':1,'picklist':2,'textarea':3,'email':25,'phone':33,'website':21,'date':24,'datetime':333,'integer':32,'bigint':515,
  'double':38,'currency':36,'percent':39,'decimal':37,'boolean':301,'lookup':133,'ownerlookup':8,'userlookup':51,'multiselectpicklist':100,
  'fileupload':555,'imageupload':556,'autonumber':27,'formula':118,'multireminder':122,'RRULE':120,'event_reminder':119}
PROFILE = {'name':'Administrator','id':fid('profile')}
CREATED = '2025-01-06T10:12:45-08:00'
DISPLAY = ['Account_Name','Deal_Name','Full_Name','Last_Name','Name','Subject','Event_Title','Note_Title','Product_Name','Vendor_Name','Campaign_Name']
def complete(mod, fs, lead_maps):
    display = next((n for n in DISPLAY if any(f['api_name'] == n and f['data_type'] != 'lookup' for f in fs)), None)
    for j, f in enumerate(fs):
        api, dt, ro, custom = f['api_name'], f['data_type'], f['read_only'], f['custom_field']
        multi = f['lookup'].get('module', {}).get('api_name') == 'se_module'
        f.update({'associated_module': None, 'operation_type': {'web_update': not ro, 'api_create': not ro, 'web_create': not ro, 'api_update': not ro},
          'webhook': True, 'blueprint_supported': not ro, 'virtual_field': False, 'customizable_properties': [], 'businesscard_supported': not ro,
          'available_in_user_layout': True, 'display_field': api == display, 'pick_list_values_sorted_lexically': False,
          'layout_associations': [{'api_name': 'Standard', 'name': 'Standard', 'id': fid(mod,'layout')}], 'separator': False,
          'enable_colour_code': False, 'mass_update': not ro and not f['unique'] and dt not in ('fileupload','imageupload'),
          'created_source': 'default', 'type': 'used', 'column_name': 'CUSTOMFIELD%d' % (j+1) if custom else api.upper().replace('_',''),
          'display_type': -1 if ro else 1, 'ui_type': UI_TYPE.get(dt, 1), 'colour_code_enabled_by_system': False, 'quick_sequence_number': str(j+1),
          'email_parser': {'fields_update_supported': False, 'record_operations_supported': False}, 'rollup_summary': {}, 'refer_from_field': None,
          'created_time': CREATED if custom else None, 'modified_time': CREATED if custom else None, 'show_type': 7, 'category': 0,
          'multi_module_lookup': {}, 'sharing_properties': None, 'file_upolad_optionlist': [],
          'profiles': [dict(PROFILE, permission_type='read_only' if ro else 'read_write')],
          'view_type': {'view': True, 'edit': not ro, 'quick_create': f['system_mandatory'], 'create': not ro},
          'sub_module': None, 'external': None, 'convert_mapping': lead_maps.get(api, {}) if mod == 'Leads' else {},
          'autonumber': {'starting_number_length': 0, 'prefix': None, 'suffix': None, 'start_number': None},
          'multiuserlookup': {}, 'crypt': None, 'tooltip': None, 'history_tracking': None, 'association_details': None,
          'allowed_modules': [{'api_name': m, 'id': fid('module', m)} for m in (('Leads','Contacts') if api == 'Who_Id' else ('Accounts','Deals','Products','Campaigns','Vendors'))] if multi else [],
          'additional_column': None, 'global_picklist': None, 'hipaa_compliance_enabled': False, 'hipaa_compliance': None,
          '_update_existing_records': False, 'number_separator': dt in ('integer','bigint','currency','double','decimal'), 'static_field': False})
        if api == 'Tag':
            # As Zoho's v8 layouts sample shows Tag: ui_type 209, not
            # sortable, its own column.
            f.update({'ui_type': 209, 'sortable': False, 'column_name': 'TAGMODULEREFID'})
def system(mod):
    return [field(mod,'Owner','ownerlookup','%s Owner' % mod[:-1]), field(mod,'Created_By','userlookup',ro=True), field(mod,'Modified_By','userlookup',ro=True),
            field(mod,'Created_Time','datetime',ro=True), field(mod,'Modified_Time','datetime',ro=True)]
mods = {}
m='Leads'; mods[m] = system(m)+[field(m,'Last_Name','text',length=80,mandatory=True), field(m,'First_Name','text',length=40),
  field(m,'Salutation','picklist',picks=['-None-','Mr.','Mrs.','Ms.','Dr.','Prof.']), field(m,'Full_Name','text',ro=True), field(m,'Company','text',length=200),
  field(m,'Email','email',unique=True), field(m,'Phone','phone'), field(m,'Mobile','phone'), field(m,'Designation','text',label='Title'), field(m,'Website','website'),
  field(m,'Lead_Source','picklist',picks=['-None-','Advertisement','Cold Call','Employee Referral','External Referral','Online Store','Partner','Public Relations','Sales Email Alias','Seminar Partner','Internal Seminar','Trade Show','Web Download','Web Research','Chat']),
  field(m,'Lead_Status','picklist',picks=['-None-','Attempted to Contact','Contact in Future','Contacted','Junk Lead','Lost Lead','Not Contacted','Pre-Qualified','Not Qualified']),
  field(m,'Industry','picklist',picks=INDUSTRY), field(m,'No_of_Employees','integer'), field(m,'Annual_Revenue','currency'),
  field(m,'Rating','picklist',picks=['-None-','Acquired','Active','Market Failed','Project Cancelled','Shut Down']), field(m,'Email_Opt_Out','boolean'),
  field(m,'Street','text'), field(m,'City','text'), field(m,'State','text'), field(m,'Zip_Code','text'), field(m,'Country','text'), field(m,'Description','textarea')]
m='Accounts'; mods[m] = system(m)+[field(m,'Account_Name','text',length=200,mandatory=True,unique=True), field(m,'Account_Number','bigint'), field(m,'Account_Site','text'),
  field(m,'Account_Type','picklist',picks=['-None-','Analyst','Competitor','Customer','Distributor','Integrator','Investor','Other','Partner','Press','Prospect','Reseller','Supplier','Vendor']),
  field(m,'Industry','picklist',picks=INDUSTRY), field(m,'Annual_Revenue','currency'), field(m,'Employees','integer'),
  field(m,'Ownership','picklist',picks=['-None-','Other','Private','Public','Subsidiary','Partnership','Government','Privately Held','Public Company']),
  field(m,'Parent_Account','lookup',lookup='Accounts'), field(m,'Phone','phone'), field(m,'Fax','phone'), field(m,'Website','website'),
  field(m,'Rating','picklist',picks=['-None-','Acquired','Active','Market Failed','Project Cancelled','Shut Down']), field(m,'SIC_Code','integer'), field(m,'Ticker_Symbol','text'),
  field(m,'Billing_Street','text'), field(m,'Billing_City','text'), field(m,'Billing_State','text'), field(m,'Billing_Code','text'), field(m,'Billing_Country','text'),
  field(m,'Shipping_Street','text'), field(m,'Shipping_City','text'), field(m,'Shipping_State','text'), field(m,'Shipping_Code','text'), field(m,'Shipping_Country','text'),
  field(m,'Description','textarea')]
m='Contacts'; mods[m] = system(m)+[field(m,'Last_Name','text',length=80,mandatory=True), field(m,'First_Name','text',length=40),
  field(m,'Salutation','picklist',picks=['-None-','Mr.','Mrs.','Ms.','Dr.','Prof.']), field(m,'Full_Name','text',ro=True),
  field(m,'Account_Name','lookup',lookup='Accounts'), field(m,'Email','email',unique=True), field(m,'Secondary_Email','email'), field(m,'Phone','phone'), field(m,'Mobile','phone'),
  field(m,'Home_Phone','phone'), field(m,'Assistant','text'), field(m,'Date_of_Birth','date'), field(m,'Department','text'), field(m,'Title','text'),
  field(m,'Lead_Source','picklist',picks=['-None-','Advertisement','Cold Call','Employee Referral','External Referral','Partner','Trade Show','Web Download']),
  field(m,'Reporting_To','lookup',lookup='Contacts'), field(m,'Email_Opt_Out','boolean'), field(m,'Mailing_Street','text'), field(m,'Mailing_City','text'),
  field(m,'Mailing_State','text'), field(m,'Mailing_Zip','text'), field(m,'Mailing_Country','text'), field(m,'Description','textarea')]
m='Vendors'; mods[m] = system(m)+[field(m,'Vendor_Name','text',length=100,mandatory=True,unique=True), field(m,'Email','email'), field(m,'Phone','phone'),
  field(m,'Website','website'), field(m,'GL_Account','picklist',picks=['-None-','Sales-Software','Sales-Hardware','Rental-Income','Interest-Income']), field(m,'Category','text'),
  field(m,'Street','text'), field(m,'City','text'), field(m,'State','text'), field(m,'Zip_Code','text'), field(m,'Country','text'), field(m,'Description','textarea')]
m='Campaigns'; mods[m] = system(m)+[field(m,'Campaign_Name','text',length=120,mandatory=True,unique=True),
  field(m,'Type','picklist',picks=['-None-','Telemarketing','Advertisement','Banner Ads','Seminar/Conference','Public Relations','Partners','Referral Program','Trade Show','Email','Webinar']),
  field(m,'Status','picklist',picks=['-None-','Planning','Active','Inactive','Complete']), field(m,'Start_Date','date'), field(m,'End_Date','date'),
  field(m,'Expected_Revenue','currency'), field(m,'Budgeted_Cost','currency'), field(m,'Actual_Cost','currency'), field(m,'Expected_Response','integer'),
  field(m,'Num_sent','bigint'), field(m,'Parent_Campaign','lookup',lookup='Campaigns'), field(m,'Description','textarea')]
m='Products'; mods[m] = system(m)+[field(m,'Product_Name','text',length=120,mandatory=True,unique=True), field(m,'Product_Code','text'), field(m,'Product_Active','boolean'),
  field(m,'Product_Category','picklist',picks=['-None-','Hardware','Software','CRM Applications']), field(m,'Vendor_Name','lookup',lookup='Vendors'),
  field(m,'Unit_Price','currency'), field(m,'Commission_Rate','currency'), field(m,'Qty_in_Stock','double'), field(m,'Taxable','boolean'),
  field(m,'Sales_Start_Date','date'), field(m,'Sales_End_Date','date'), field(m,'Description','textarea')]
m='Deals'; mods[m] = system(m)+[field(m,'Deal_Name','text',length=120,mandatory=True), field(m,'Stage','picklist',mandatory=True,
  picks=['Qualification','Needs Analysis','Value Proposition','Identify Decision Makers','Proposal/Price Quote','Negotiation/Review','Closed Won','Closed Lost','Closed-Lost to Competition']),
  field(m,'Amount','currency'), field(m,'Closing_Date','date'), field(m,'Account_Name','lookup',lookup='Accounts'), field(m,'Contact_Name','lookup',lookup='Contacts'),
  field(m,'Probability','percent'), field(m,'Expected_Revenue','currency',ro=True), field(m,'Type','picklist',picks=['-None-','Existing Business','New Business']),
  field(m,'Next_Step','text'), field(m,'Campaign_Source','lookup',lookup='Campaigns'), field(m,'Description','textarea')]
m='Tasks'; mods[m] = system(m)+[field(m,'Subject','text',mandatory=True), field(m,'Due_Date','date'),
  field(m,'Status','picklist',picks=['Not Started','Deferred','In Progress','Completed','Waiting for input']),
  field(m,'Priority','picklist',picks=['High','Highest','Low','Lowest','Normal']), field(m,'Who_Id','lookup',lookup='Contacts',label='Contact Name',display='Who Id'),
  field(m,'What_Id','lookup',label='Related To',display='What Id',length=120,multi=True),
  field(m,'Send_Notification_Email','boolean'), field(m,'Description','textarea'), field(m,'Closed_Time','datetime',ro=True)]
m='Events'; mods[m] = system(m)+[field(m,'Event_Title','text',label='Title',display='Event Title',mandatory=True), field(m,'Venue','text',label='Location',display='Venue'),
  field(m,'All_day','boolean',label='All day',length=5), field(m,'Start_DateTime','datetime',label='From',display='Start DateTime',length=120,mandatory=True),
  field(m,'End_DateTime','datetime',label='To',display='End DateTime',length=120,mandatory=True), field(m,'Description','textarea'),
  field(m,'Participants','bigint',length=120,json_type='jsonarray'), field(m,'Remind_Participants','multireminder',label='Participants Reminder',display='Remind Participants',length=100),
  field(m,'Who_Id','lookup',lookup='Contacts',label='Contact Name',display='Who Id',length=120), field(m,'Recurring_Activity','RRULE',label='Repeat',display='Recurring Activity',length=100),
  field(m,'Remind_At','multireminder',label='Reminder',display='Remind At',length=100), field(m,'What_Id','lookup',label='Related To',display='What Id',length=120,multi=True),
  field(m,'Check_In_Time','datetime',ro=True), field(m,'Check_In_By','userlookup',ro=True), field(m,'Check_In_Comment','textarea',ro=True),
  field(m,'Check_In_Address','text',ro=True), field(m,'Check_In_Sub_Locality','text',ro=True), field(m,'Check_In_City','text',ro=True),
  field(m,'Check_In_State','text',ro=True), field(m,'Check_In_Country','text',ro=True), field(m,'ZIP_Code','text',ro=True),
  field(m,'Latitude','text',ro=True), field(m,'Longitude','text',ro=True), field(m,'Check_In_Status','text',ro=True)]
m='Calls'; mods[m] = system(m)+[field(m,'Subject','text',mandatory=True), field(m,'Call_Type','picklist',mandatory=True,picks=['Outbound','Inbound','Missed']),
  field(m,'Call_Start_Time','datetime',mandatory=True), field(m,'Call_Duration','text',length=10), field(m,'Call_Duration_in_seconds','integer',ro=True),
  field(m,'Call_Purpose','picklist',picks=['-None-','Prospecting','Administrative','Negotiation','Demo','Project','Desk']),
  field(m,'Call_Result','picklist',picks=['-None-','Interested','Not interested','No response','Busy','Requested more info','Requested call back','Invalid number']),
  field(m,'Call_Agenda','text'), field(m,'Outgoing_Call_Status','picklist',picks=['Scheduled','Completed']), field(m,'Call_Status','picklist',ro=True),
  field(m,'Who_Id','lookup',lookup='Contacts',label='Contact Name',display='Who Id',length=120), field(m,'What_Id','lookup',label='Related To',display='What Id',length=120,multi=True),
  field(m,'Reminder','event_reminder'), field(m,'Caller_ID','text',ro=True), field(m,'Dialled_Number','text',ro=True), field(m,'CTI_Entry','boolean',ro=True),
  field(m,'Description','textarea')]
m='Notes'; mods[m] = system(m)+[field(m,'Note_Title','text',length=120), field(m,'Note_Content','textarea',mandatory=True),
  field(m,'Parent_Id','lookup',label='Parent ID',length=120,multi=True)]
m='Projects'; mods[m] = system(m)+[field(m,'Name','text',length=120,mandatory=True,unique=True), field(m,'Project_description','textarea',custom=True),
  field(m,'Portal_Session_URL','website',custom=True), field(m,'Live_CCJs','integer',custom=True), field(m,'Budget','currency',custom=True),
  field(m,'Tracking_Number','bigint',custom=True), field(m,'Score','double',custom=True), field(m,'Completion','percent',custom=True), field(m,'Margin','decimal',custom=True),
  field(m,'Is_Active','boolean',custom=True), field(m,'Start_Date','date',custom=True), field(m,'Kickoff_At','datetime',custom=True),
  field(m,'Stage','picklist',custom=True,picks=['-None-','1st Review','Planning (Q1)','R&D / Prototype','Done']),
  field(m,'Tags_1','multiselectpicklist',custom=True,picks=['Alpha','Beta','Gamma']), field(m,'Contact_Email','email',custom=True), field(m,'Contact_Phone','phone',custom=True),
  field(m,'Account','lookup',lookup='Accounts',custom=True), field(m,'Reviewer','userlookup',custom=True), field(m,'Attachments_1','fileupload',custom=True)]
# Leads' convert_mapping: the field of Contacts, Accounts and Deals a
# converted lead's value goes to.
def lead_maps():
    names = {k: set(f['api_name'] for f in mods[k]) for k in ('Contacts','Accounts','Deals')}
    out = {}
    for f in mods['Leads']:
        api = f['api_name']
        acc = 'Account_Name' if api == 'Company' else (api if api in names['Accounts'] and api not in ('Owner',) else None)
        out[api] = {'Contacts': api if api in names['Contacts'] else None, 'Accounts': acc, 'Deals': api if api in ('Owner','Description') else None}
    return out
LEAD_MAPS = lead_maps()
# Every module has the system field Tag, the record's tags: an array of
# {name, id, color_code}, data_type text but json_type jsonarray, as
# Zoho's v8 layouts sample writes it. It is read-only here: only the tag
# actions (POST /{module}/actions/add_tags, remove_tags) change it
# (docs/wire.md §12.3). It comes last, so no other field's place changes.
for m, fs in mods.items():
    fs.append(field(m,'Tag','text',length=2000,ro=True,json_type='jsonarray'))
DISPLAY_OF = {}
for m, fs in mods.items():
    complete(m, fs, LEAD_MAPS)
    DISPLAY_OF[m] = next(f['api_name'] for f in fs if f['display_field'])
# The related lists a standard org shows on each module's records (GET
# /settings/related_lists; Zoho's "Related Lists" docs and its v8
# related_records.json): the notes and attachments of any record; the
# records whose lookup points to it (Contacts and Deals of an account, Deals
# of a contact or campaign, Products of a vendor, Projects of an account);
# activities (Tasks, Events, Calls whose What_Id or Who_Id points to it) on
# every module What_Id ("Related To") can name, custom modules included;
# and the many-to-many relations Zoho links and unlinks through the related
# records API: Campaigns with Leads and Contacts (with Member_Status),
# Products with Leads, Accounts, Contacts and Deals. The list's api_name is
# the module's but for Activities and Attachments, which are no module of
# their own. Order as in Zoho's UI.
RELATED_LISTS = {
    'Accounts': ['Notes', 'Attachments', 'Contacts', 'Deals', 'Activities', 'Products', 'Projects'],
    'Contacts': ['Notes', 'Attachments', 'Deals', 'Activities', 'Campaigns', 'Products'],
    'Leads': ['Notes', 'Attachments', 'Activities', 'Campaigns', 'Products'],
    'Deals': ['Notes', 'Attachments', 'Activities', 'Products'],
    'Campaigns': ['Notes', 'Attachments', 'Leads', 'Contacts', 'Deals', 'Activities'],
    'Products': ['Notes', 'Attachments', 'Leads', 'Accounts', 'Contacts', 'Deals', 'Activities'],
    'Vendors': ['Notes', 'Attachments', 'Products', 'Activities'],
    'Tasks': ['Notes', 'Attachments'],
    'Events': ['Notes', 'Attachments'],
    'Calls': ['Notes', 'Attachments'],
    'Projects': ['Notes', 'Attachments', 'Activities'],
}
def related_list(m, api, seq):
    # A list of records that point to m through a lookup of a custom module
    # is of type custom; the standard lists are default.
    sort = 'Modified_Time' if api in ('Notes', 'Attachments') else 'Created_Time'
    return {'id': fid(m,'rl',api), 'api_name': api, 'display_label': api, 'name': api, 'module': {'api_name': api, 'id': fid('module', api)},
      'href': '%s/{ENTITYID}/%s' % (m, api), 'type': 'custom' if api == 'Projects' else 'default', 'sequence_number': str(seq), 'visible': True, 'action': None, 'status': 'visible',
      'customize_sort': True, 'customize_fields': api not in ('Notes', 'Attachments'), 'customize_display_label': True, 'sort_by': {'api_name': sort, 'id': fid(api, sort)},
      'sort_order': 'desc', 'fields': []}
modules = []
for i,(m, fs) in enumerate(mods.items()):
    modules.append({'id': fid('module', m), 'api_name': m, 'module_name': m, 'singular_label': m[:-1], 'plural_label': m, 'actual_singular_label': m[:-1], 'actual_plural_label': m,
      'api_supported': True, 'creatable': True, 'editable': True, 'deletable': True, 'viewable': True, 'convertable': m=='Leads', 'quick_create': True, 'show_as_tab': True,
      'visibility': 1, 'visible': True, 'generated_type': 'custom' if m == 'Projects' else 'default', 'sequence_number': i+1, 'status': 'visible',
      # a standard module was never modified: modified_time and modified_by are null
      'modified_time': CREATED if m == 'Projects' else None, 'modified_by': {'name': 'Jane Roe', 'id': fid('user','jane')} if m == 'Projects' else None,
      'description': None, 'web_link': None, 'parent_module': {}, 'arguments': [], 'presence_sub_menu': m != 'Notes', 'sub_menu_available': m != 'Notes',
      'profiles': [PROFILE], 'profile_count': 1, 'has_more_profiles': False, 'access_type': 'org_based', 'private_profile': None,
      'recycle_bin_on_delete': True, 'business_card_field_limit': 5, 'business_card_fields': [], 'feeds_required': m != 'Notes',
      'inventory_template_supported': False, 'triggers_supported': True, 'isBlueprintSupported': m not in ('Notes','Events','Calls'),
      'chart_view': False, 'chart_view_supported': m != 'Notes', 'emailTemplate_support': m in ('Leads','Contacts','Accounts','Deals','Vendors','Projects'),
      'email_parser_supported': m in ('Leads','Contacts','Accounts','Deals'), 'filter_supported': True, 'filter_status': True, 'scoring_supported': m in ('Leads','Contacts','Accounts','Deals'),
      'webform_supported': m in ('Leads','Contacts','Accounts','Deals','Projects'), 'track_current_data': m == 'Deals', 'activity_badge': 'Enabled' if m in ('Leads','Contacts','Accounts','Deals') else None,
      'kanban_view': False, 'kanban_view_supported': m != 'Notes', 'zia_view': False, 'per_page': None, 'display_field': {'api_name': DISPLAY_OF[m], 'id': fid(m, DISPLAY_OF[m])},
      'search_layout_fields': [], 'lookup_field_properties': {'fields': [{'sequence_number': 1, 'api_name': DISPLAY_OF[m], 'id': fid(m, DISPLAY_OF[m])}]},
      'related_list_properties': {'sort_by': {'api_name': 'Modified_Time', 'id': fid(m, 'Modified_Time')}, 'fields': [DISPLAY_OF[m], 'Owner', 'Modified_Time'], 'sort_order': 'desc'}, '$field_states': [], '$properties': [], '$on_demand_properties': []})
    json.dump({'fields': fs}, open('%s/fields/%s.json' % (out, m), 'w'), indent=1)
    # A layout's sections carry their fields whole, with the layout's own
    # required flag, as GET /settings/layouts answers (api-notes §5.3).
    section = fid(m, 'section')
    lfields = [dict(f, required=f['system_mandatory'], validation_rule=None, default_value=None, sequence_number=j+1, section_id=None,
      static_values=[], _delete=None) for j, f in enumerate(fs)]
    # Leads' layout maps a conversion to the layouts of Contacts, Accounts and Deals.
    convert = {'Contacts': {'name': 'Standard', 'id': fid('Contacts','layout')}, 'Accounts': {'name': 'Standard', 'id': fid('Accounts','layout')},
      'Deals': {'name': 'Standard', 'id': fid('Deals','layout'), 'fields': [{'api_name': 'Deal_Name', 'field_label': 'Deal Name', 'id': fid('Deals','Deal_Name'), 'required': True}]}} if m == 'Leads' else None
    json.dump({'layouts': [{'id': fid(m,'layout'), 'name': 'Standard', 'display_label': 'Standard', 'visible': True, 'status': 'active', 'source': 'crm', 'mode': 'standard',
      'generated_type': 'default', 'has_more_profiles': False, 'show_business_card': False, 'subform_properties': {'pinned_column': None},
      'created_time': CREATED, 'modified_time': CREATED, 'created_by': {'name': 'Jane Roe', 'id': fid('user','jane')}, 'modified_by': {'name': 'Jane Roe', 'id': fid('user','jane')},
      'created_for': None, 'convert_mapping': convert,
      'actions_allowed': {'edit': True, 'rename': False, 'clone': True, 'downgrade': False, 'delete': False, 'deactivate': False, 'set_layout_permissions': True},
      'profiles': [{'name':'Administrator','id':fid('profile'),'default':True, '_default_view': {'name': 'Standard', 'id': fid(m,'layout'), 'type': 'layout'}}],
      'sections': [{'display_label': '%s Information' % m[:-1], 'sequence_number': 1, 'api_name': '%s_Information' % m[:-1], 'name': '%s Information' % m[:-1],
      'id': section, 'column_count': 2, 'tab_traversal': 'left_to_right', 'isSubformSection': False, 'generated_type': 'default', 'type': 'used',
      'properties': None, '_delete': None, 'fields': lfields}]}]}, open('%s/layouts/%s.json' % (out, m), 'w'), indent=1)
    rls = [related_list(m, api, i+1) for i, api in enumerate(RELATED_LISTS.get(m, []))]
    json.dump({'related_lists': rls}, open('%s/related_lists/%s.json' % (out, m), 'w'), indent=1)
json.dump({'modules': modules}, open(out+'/modules.json','w'), indent=1)
# Two users: Jane, the current user, and John, a record owner of her org
# (to whom a change of owner can hand records).
json.dump({'users': [{'id': fid('user','jane'), 'email': 'jane@example.com', 'full_name': 'Jane Roe', 'first_name': 'Jane', 'last_name': 'Roe', 'role': {'name':'CEO','id':fid('role')}, 'profile': {'name':'Administrator','id':fid('profile')}, 'status':'active', 'time_zone':'America/Los_Angeles', 'zuid': '700000001'},
  {'id': fid('user','john'), 'email': 'john@example.com', 'full_name': 'John Smith', 'first_name': 'John', 'last_name': 'Smith', 'role': {'name':'Manager','id':fid('role','manager')}, 'profile': {'name':'Administrator','id':fid('profile')}, 'status':'active', 'time_zone':'America/Los_Angeles', 'zuid': '700000002'}]}, open(out+'/users.json','w'), indent=1)
# The org carries every key org.json's Org requires; an address, a photo and
# a Zia portal it has not are null. type is one of the OAS's enum.
json.dump({'org': [{'id': fid('org'), 'company_name':'Zylker', 'alias': None, 'description': None, 'primary_email':'jane@example.com', 'primary_zuid': '700000001',
  'phone': '555-0100', 'mobile': None, 'fax': None, 'website': 'www.zylker.example', 'employee_count': '10',
  'street': None, 'city': None, 'state': None, 'zip': None, 'country': 'United States', 'country_code':'US',
  'time_zone':'America/Los_Angeles', 'currency':'US Dollar - USD', 'currency_symbol':'$', 'currency_locale': 'en_US', 'iso_code':'USD',
  'zgid':'700000000', 'ezgid': '700000000', 'zia_zgid': 700000000, 'zia_portal_id': None, 'domain_name':'org700000000', 'photo_id': None, 'type':'Production',
  'mc_status': False, 'gapps_enabled': False, 'translation_enabled': False, 'deletable_org_account': False, 'privacy_settings': False,
  'hipaa_compliance_enabled': False, 'lite_users_enabled': False, 'oauth_presence': True, 'call_icon': 'phone', 'max_per_page': 200,
  'license_details': {'paid': True, 'paid_type': 'enterprise', 'paid_expiry': '2030-01-01T00:00:00+00:00', 'users_license_purchased': 10,
    'trial_type': None, 'trial_expiry': None, 'trial_action': ''},
  'hierarchy_preferences': {'type': 'Role_Hierarchy', 'strictly_reporting': False},
  'checkin_preferences': {'restricted_event_types': None}}]}, open(out+'/org.json','w'), indent=1)
