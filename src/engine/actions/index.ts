import type { ActionRegistry } from '../action.js';
import { appointmentActions } from './appointments.js';
import { arrivingActions } from './arriving.js';
import { bookingWhenActions } from './booking-when.js';
import { catalogueActions } from './catalogue.js';
import { checklistTextActions } from './checklist-text.js';
import { complaintActions } from './complaints.js';
import { conversationActions } from './conversation.js';
import { deskActions } from './desk.js';
import { incidentActions } from './incidents.js';
import { infoActions } from './info.js';
import { pickupActions } from './pickup.js';
import { siteActions } from './sites.js';
import { privacyActions } from './privacy.js';
import { reminderActions } from './reminders.js';
import { surveyActions } from './survey.js';
import { talkActions } from './talk.js';
import { ticketActions } from './tickets.js';
import { visitPlanActions } from './visit-plan.js';
import { visitTakeActions } from './visit-take.js';

/** Every action flows may name. The flow check fails on a name missing here. */
export const actions: ActionRegistry = { ...catalogueActions, ...infoActions, ...conversationActions, ...ticketActions, ...reminderActions, ...privacyActions, ...surveyActions, ...appointmentActions, ...arrivingActions, ...bookingWhenActions, ...checklistTextActions, ...incidentActions, ...talkActions, ...deskActions, ...complaintActions, ...pickupActions, ...visitPlanActions, ...visitTakeActions, ...siteActions };
